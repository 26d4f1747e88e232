/* GNU readline and its history library from the system. */
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
