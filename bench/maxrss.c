/*
 * maxrss COMMAND [ARGS...]: run COMMAND and print its peak resident set size in KiB.
 * A child's peak RSS counts the memory of the process it was forked from, so the benchmarks
 * fork from this small program rather than from Python.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: maxrss COMMAND [ARGS...]\n", stderr);
		return 2;
	}
	pid_t const pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		return 2;
	printf("%ld\n", ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
