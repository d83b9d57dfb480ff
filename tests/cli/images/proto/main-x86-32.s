; Calls __proto__, a valid symbol name that a JavaScript object cannot hold as a key.
.extern __proto__
main:
    call __proto__
    ret
