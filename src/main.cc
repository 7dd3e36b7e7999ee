// The nimbus CLI: serve, coverage, version.
#include <cstdio>
int main() { std::puts("nimbus"); return 0; }
