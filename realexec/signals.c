#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "realexec/realexec.h"

static const struct { const char *name; int sig; } signals[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "BUS", SIGBUS }, { "CHLD", SIGCHLD },
	{ "CLD", SIGCHLD }, { "CONT", SIGCONT }, { "FPE", SIGFPE }, { "HUP", SIGHUP },
	{ "ILL", SIGILL }, { "INT", SIGINT }, { "IO", SIGIO }, { "IOT", SIGIOT },
	{ "KILL", SIGKILL }, { "PIPE", SIGPIPE }, { "POLL", SIGPOLL }, { "PROF", SIGPROF },
	{ "PWR", SIGPWR }, { "QUIT", SIGQUIT }, { "SEGV", SIGSEGV }, { "STKFLT", SIGSTKFLT },
	{ "STOP", SIGSTOP }, { "SYS", SIGSYS }, { "TERM", SIGTERM }, { "TRAP", SIGTRAP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "VTALRM", SIGVTALRM }, { "WINCH", SIGWINCH },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
};

/* runc: a number first, else the name upper-cased with "SIG" optional. */
int realexec_parse_signal(const char *text, int *sig, mr_error **err)
{
	char name[32];
	const char *n;
	char *end;
	long v;
	size_t i;

	if (text == NULL || *text == '\0')
		return mr_error_set(err, 0, "unknown signal \"\"");
	v = strtol(text, &end, 10);
	if (*end == '\0') {
		if (v <= 0 || v > SIGRTMAX)
			return mr_error_set(err, 0, "unknown signal \"%s\"", text);
		*sig = (int)v;
		return 0;
	}
	for (i = 0; text[i] != '\0' && i < sizeof name - 1; i++)
		name[i] = (char)toupper((unsigned char)text[i]);
	name[i] = '\0';
	n = strncmp(name, "SIG", 3) == 0 ? name + 3 : name;
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (strcmp(n, signals[i].name) == 0) {
			*sig = signals[i].sig;
			return 0;
		}
	return mr_error_set(err, 0, "unknown signal \"%s\"", text);
}
