! keystone loops forever
main:
    nop
%g1:
    retl
    nop
