#include "portable.h"
int main(void) { return run(); }
