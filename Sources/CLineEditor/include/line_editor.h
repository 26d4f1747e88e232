/*
 * line_editor: the REPL's use of GNU readline, in C because readline is a
 * library of mutable globals and signal handling, neither of which Swift
 * should touch directly.
 *
 * A line is read with readline's callback interface, so that Ctrl-C at the
 * prompt can clear the line (and give a new prompt) without a longjmp, and a
 * window resize between keys is noticed. Completion calls back into the host
 * with the whole line; the host answers with le_add_candidate.
 */
#ifndef PAYSH_LINE_EDITOR_H
#define PAYSH_LINE_EDITOR_H

#include <stddef.h>

/* How le_read ended. */
#define LE_LINE 0          /* a line was accepted */
#define LE_END 1           /* end of input (Ctrl-D on an empty line, or stdin closed) */
#define LE_INTERRUPTED 2   /* Ctrl-C: the line was abandoned */

/*
 * The host's completer: `line` holds `length` bytes (not NUL-terminated
 * for the host's purposes), the cursor is at byte `cursor`, and readline
 * will replace bytes [start, cursor) with the chosen candidate. The host
 * adds candidates (whole replacements for that range) with le_add_candidate.
 */
typedef void (*le_completer_fn)(const char *line, int length, int start, int cursor);

/* Name the application (for ~/.inputrc's `$if paysh`) and install the completer. */
void le_setup(const char *application, le_completer_fn completer);
/* Offer one candidate; called by the completer only. */
void le_add_candidate(const char *text, size_t length);
/*
 * Read one line after `prompt` (which may hold colour sequences between
 * \001 and \002). On LE_LINE *line is a malloc'd string for the caller to free.
 */
int le_read(const char *prompt, char **line);

/* The in-memory history (what Up and Ctrl-R walk). */
void le_history_add(const char *entry);
void le_history_clear(void);
/* Keep at most `count` entries in memory. */
void le_history_limit(int count);
/* Remove every entry equal to `entry` (so that a repeated line moves to the end). */
void le_history_remove(const char *entry);

#endif
