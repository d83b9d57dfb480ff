; keystone assembles no bytes; the engine later fails on a zero-length code range
main:
