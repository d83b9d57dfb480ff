// A call chain for source-level debugging: main -> work -> step, with a local, an
// argument and a global to print at a breakpoint on a line of step.
#include <clustervm.h>

static int total;

__attribute__((noinline)) int step(int x)
{
	int doubled = x * 2;
	total += doubled;
	return doubled + 1;
}

__attribute__((noinline)) int work(int n)
{
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += step(i);
	return sum;
}

int main(int node, int core)
{
	int result = work(5 + node + core);
	printf("n%d.c%d: %d %d\n", node, core, result, total);
	return 0;
}
