/* The C module of the golden listings: a call, a tail call and the address of a function,
 * each into another module. */
int ext(int);
int ext2(int);
int ext3(int);

int caller(int x) { return ext(x) + 1; }

int tail(int x) { return ext2(x + 3); }

long address_of(void) { return (long)ext3; }
