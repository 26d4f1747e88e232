/* GNU readline and its history library from the system. */
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Name the application for ~/.inputrc's `$if paysh` sections. (A C global:
 * set here so that Swift does not touch readline's mutable globals.) */
static inline void repl_prepare_readline(void) { rl_readline_name = "paysh"; }
