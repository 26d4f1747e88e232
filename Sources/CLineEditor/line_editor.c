#include "line_editor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Lua's punctuation ends a word, so `lumyri.pay_` completes `pay_` and
 * `invoice("4e8` completes `4e8`. */
static char word_breaks[] = " \t\n\"'`@$><=;|&{(,+-*/%^#~[].:)}";

static le_completer_fn completer;
static char **candidates;
static size_t candidate_count, candidate_capacity;

static volatile sig_atomic_t got_interrupt, got_resize;
static char *accepted;
static int finished;

void le_add_candidate(const char *text, size_t length) {
    if (candidate_count == candidate_capacity) {
        size_t capacity = candidate_capacity ? candidate_capacity * 2 : 32;
        char **grown = realloc(candidates, capacity * sizeof *grown);
        if (!grown) return;
        candidates = grown;
        candidate_capacity = capacity;
    }
    char *copy = malloc(length + 1);
    if (!copy) return;
    memcpy(copy, text, length);
    copy[length] = '\0';
    candidates[candidate_count++] = copy;
}

static void clear_candidates(void) {
    for (size_t i = 0; i < candidate_count; i++) free(candidates[i]);
    candidate_count = 0;
}

/* readline's generator: hands out the host's candidates in order. */
static char *next_candidate(const char *text, int state) {
    static size_t next;
    (void)text;
    if (state == 0) next = 0;
    return next < candidate_count ? strdup(candidates[next++]) : NULL;
}

/* readline's completion entry: ask the host, never fall back to file names,
 * append nothing (the host's candidates carry their own `(` or quote). */
static char **attempt_completion(const char *text, int start, int end) {
    rl_attempted_completion_over = 1;
    rl_completion_append_character = '\0';
    rl_completion_suppress_append = 1;
    clear_candidates();
    if (completer) completer(rl_line_buffer, rl_end, start, end);
    if (candidate_count == 0) return NULL;
    return rl_completion_matches(text, next_candidate);
}

void le_setup(const char *application, le_completer_fn fn) {
    rl_readline_name = application;
    completer = fn;
    rl_attempted_completion_function = attempt_completion;
    rl_basic_word_break_characters = word_breaks;
    rl_completer_word_break_characters = word_breaks;
    /* No quote handling: a word after a quote is completed as it is, and the
     * host's candidates bring their own closing quote (readline would
     * otherwise append the quote it saw before the word). */
    rl_completer_quote_characters = NULL;
    rl_basic_quote_characters = NULL;
}

static void on_line(char *line) {
    accepted = line;
    finished = 1;
    rl_callback_handler_remove();
}

static void on_interrupt(int sig) { (void)sig; got_interrupt = 1; }
static void on_resize(int sig) { (void)sig; got_resize = 1; }

/* Ctrl-C at the prompt: show the abandoned line with ^C after it, drop it,
 * and leave the terminal as it was before the prompt. */
static void abandon_line(void) {
    rl_callback_sigcleanup();
    rl_point = rl_end;
    rl_redisplay();
    fputs("^C\n", rl_outstream ? rl_outstream : stdout);
    fflush(rl_outstream ? rl_outstream : stdout);
    rl_replace_line("", 0);
    rl_free_line_state();
    rl_callback_handler_remove();
}

int le_read(const char *prompt, char **line) {
    struct sigaction action, old_interrupt, old_resize;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_interrupt;  /* no SA_RESTART: select() must return */
    sigaction(SIGINT, &action, &old_interrupt);
    action.sa_handler = on_resize;
    sigaction(SIGWINCH, &action, &old_resize);

    got_interrupt = got_resize = 0;
    finished = 0;
    accepted = NULL;
    int outcome = LE_LINE;
    rl_callback_handler_install(prompt, on_line);
    while (!finished) {
        int fd = fileno(rl_instream ? rl_instream : stdin);
        fd_set ready;
        FD_ZERO(&ready);
        FD_SET(fd, &ready);
        int n = select(fd + 1, &ready, NULL, NULL, NULL);
        if (got_interrupt) {
            got_interrupt = 0;
            abandon_line();
            outcome = LE_INTERRUPTED;
            break;
        }
        if (got_resize) {
            got_resize = 0;
            rl_resize_terminal();
        }
        if (n > 0) {
            rl_callback_read_char();
        } else if (n < 0 && errno != EINTR) {
            rl_callback_handler_remove();
            outcome = LE_END;
            break;
        }
    }
    if (finished) {
        *line = accepted;
        outcome = accepted ? LE_LINE : LE_END;
    }
    sigaction(SIGINT, &old_interrupt, NULL);
    sigaction(SIGWINCH, &old_resize, NULL);
    return outcome;
}

void le_history_add(const char *entry) { add_history(entry); }
void le_history_clear(void) { clear_history(); }
void le_history_limit(int count) { stifle_history(count); }

void le_history_remove(const char *entry) {
    for (int i = history_length - 1; i >= 0; i--) {
        HIST_ENTRY *item = history_get(history_base + i);
        if (item && item->line && strcmp(item->line, entry) == 0) {
            HIST_ENTRY *gone = remove_history(i);
            if (gone) free_history_entry(gone);
        }
    }
}
