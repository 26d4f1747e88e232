/*
 * luakit_shim.c: see include/luakit_shim.h for why this file exists.
 * Every function here either cannot raise a Lua error, or raises only from
 * a frame that is entirely C, under a lua_pcall that C set up.
 */
#include "luakit_shim.h"

#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static luakit_dispatch_fn swift_dispatch;
static luakit_release_fn swift_release;

void luakit_set_callbacks(luakit_dispatch_fn dispatch, luakit_release_fn release) {
  swift_dispatch = dispatch;
  swift_release = release;
}

/* ---------------------------------------------------------------- memory */

/* Where a warning stands: dropped, printed, or in the middle of a multi-part one. */
enum { WARN_OFF, WARN_ON, WARN_CONTINUING };

/* Per-state record: bytes held, the cap on them (0: none), whether Swift is on top, the warning mode. */
typedef struct Heap {
  size_t bytes;
  size_t limit;
  int swift_on_top;
  int warn_mode;
} Heap;

static Heap *heap_of(lua_State *L) {
  void *ud = NULL;
  lua_getallocf(L, &ud);
  return (Heap *)ud;
}

/* The allocator: realloc/free, with the failure and limit rules of the header. */
static void *heap_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Heap *h = (Heap *)ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    h->bytes -= old;
    return NULL;
  }
  /* Over the limit, growth fails like malloc would: Lua collects and tries
   * once more, then raises "not enough memory". Not while Swift is on top,
   * where a failure would end the process: those few pushes go through. */
  if (h->limit != 0 && nsize > old && !h->swift_on_top && h->bytes - old + nsize > h->limit)
    return NULL;
  void *p = realloc(ptr, nsize);
  if (p == NULL) {
    if (h->swift_on_top) {
      fputs("fatal: out of memory (Lua allocation while Swift code was running)\n", stderr);
      abort();
    }
    return NULL;
  }
  h->bytes = h->bytes - old + nsize;
  return p;
}

/* Unprotected errors cannot happen by construction; if one does, say so and stop. */
static int on_panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "fatal: unprotected Lua error (%s)\n", msg ? msg : "error object is not a string");
  fflush(stderr);
  return 0; /* Lua then calls abort() */
}

/* Mark Lua as running (allocation failures may raise); returns the old mark. */
static int enter_lua(lua_State *L) {
  Heap *h = heap_of(L);
  int old = h->swift_on_top;
  h->swift_on_top = 0;
  return old;
}

static void leave_lua(lua_State *L, int old) { heap_of(L)->swift_on_top = old; }

/*
 * Warnings as the standard library's own handler treats them: off until
 * "@on", "@off" turns them off again; a message in several parts
 * (tocont) prints as one line prefixed "Lua warning: ".
 */
static void on_warning(void *ud, const char *message, int tocont) {
  Heap *h = heap_of((lua_State *)ud);
  if (h->warn_mode != WARN_CONTINUING && !tocont && message[0] == '@') {
    if (strcmp(message + 1, "on") == 0) h->warn_mode = WARN_ON;
    else if (strcmp(message + 1, "off") == 0) h->warn_mode = WARN_OFF;
    return;
  }
  if (h->warn_mode == WARN_OFF) return;
  if (h->warn_mode == WARN_ON) fputs("Lua warning: ", stderr);
  fputs(message, stderr);
  if (tocont) {
    h->warn_mode = WARN_CONTINUING;
  } else {
    fputs("\n", stderr);
    h->warn_mode = WARN_ON;
  }
  fflush(stderr);
}

lua_State *luakit_newstate(void) {
  Heap *h = calloc(1, sizeof(Heap));
  if (h == NULL) return NULL;
  h->swift_on_top = 1;
  lua_State *L = lua_newstate(heap_alloc, h);
  if (L == NULL) {
    free(h);
    return NULL;
  }
  lua_atpanic(L, on_panic);
  lua_setwarnf(L, on_warning, L);
  return L;
}

void luakit_close(lua_State *L) {
  Heap *h = heap_of(L);
  h->swift_on_top = 0; /* __gc of Swift objects runs here; nothing raises */
  lua_close(L);
  free(h);
}

size_t luakit_bytes_in_use(lua_State *L) { return heap_of(L)->bytes; }

void luakit_set_memory_limit(lua_State *L, size_t bytes) { heap_of(L)->limit = bytes; }

size_t luakit_memory_limit(lua_State *L) { return heap_of(L)->limit; }

/* Finalizers run here; in 5.4 their errors become warnings, so nothing escapes. */
void luakit_gc_collect(lua_State *L) {
  int old = enter_lua(L);
  lua_gc(L, LUA_GCCOLLECT);
  leave_lua(L, old);
}

void luakit_gc_stop(lua_State *L) { lua_gc(L, LUA_GCSTOP); }

void luakit_gc_restart_generational(lua_State *L) {
  lua_gc(L, LUA_GCRESTART);
  lua_gc(L, LUA_GCGEN, 0, 0);
}

/* ------------------------------------------------------- protected calls */

static const char last_traceback_key = 'T';

/* Handler that keeps the error value and records a traceback beside it. */
static int handler_keep(lua_State *L) {
  luaL_traceback(L, L, NULL, 1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &last_traceback_key);
  return 1;
}

/*
 * lua.c's handler: a string (or number) error gets a traceback appended; a
 * non-string with __tostring becomes that string; anything else is named.
 */
static int handler_luac(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

void luakit_push_last_traceback(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &last_traceback_key);
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &last_traceback_key);
}

int luakit_pcall(lua_State *L, int nargs, int nresults, int handler) {
  int base = 0;
  if (handler != LUAKIT_HANDLER_NONE) {
    base = lua_gettop(L) - nargs; /* function index */
    lua_pushcfunction(L, handler == LUAKIT_HANDLER_KEEP ? handler_keep : handler_luac);
    lua_insert(L, base);
  }
  int old = enter_lua(L);
  int status = lua_pcall(L, nargs, nresults, base);
  leave_lua(L, old);
  if (base) lua_remove(L, base);
  return status;
}

int luakit_pcallf(lua_State *L, lua_CFunction f, int nargs, int nresults) {
  lua_pushcfunction(L, f);
  lua_insert(L, -(nargs + 1));
  int old = enter_lua(L);
  int status = lua_pcall(L, nargs, nresults, 0);
  leave_lua(L, old);
  return status;
}

/* Ctrl-C: the signal handler arms a hook; the hook raises in the Lua VM. */
static lua_State *volatile interrupted_state = NULL;

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted!");
}

static sem_t *volatile interrupt_wake = NULL;
static volatile sig_atomic_t interrupt_requested = 0;

static void on_sigint(int sig) {
  signal(sig, SIG_DFL); /* a second Ctrl-C stops the process */
  interrupt_requested = 1;
  if (interrupted_state != NULL)
    lua_sethook(interrupted_state, interrupt_hook,
                LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
  if (interrupt_wake != NULL) sem_post(interrupt_wake); /* async-signal-safe */
}

static struct sigaction interrupt_saved;
static int interrupt_depth = 0;

void luakit_interrupt_begin(lua_State *L, sem_t *wake) {
  if (interrupt_depth++ > 0) return;
  struct sigaction act;
  act.sa_handler = on_sigint;
  act.sa_flags = 0;
  sigemptyset(&act.sa_mask);
  interrupt_requested = 0;
  interrupted_state = L;
  interrupt_wake = wake;
  sigaction(SIGINT, &act, &interrupt_saved);
}

void luakit_interrupt_target(lua_State *L) {
  if (interrupt_depth > 0) interrupted_state = L;
}

void luakit_interrupt_end(void) {
  if (--interrupt_depth > 0) return;
  sigaction(SIGINT, &interrupt_saved, NULL);
  interrupted_state = NULL;
  interrupt_wake = NULL;
}

int luakit_interrupt_take(void) {
  int was = interrupt_requested;
  interrupt_requested = 0;
  return was;
}

int luakit_pcall_interruptible(lua_State *L, int nargs, int nresults, int handler) {
  struct sigaction act, old;
  act.sa_handler = on_sigint;
  act.sa_flags = 0;
  sigemptyset(&act.sa_mask);
  interrupted_state = L;
  sigaction(SIGINT, &act, &old);
  int status = luakit_pcall(L, nargs, nresults, handler);
  sigaction(SIGINT, &old, NULL);
  interrupted_state = NULL;
  return status;
}

int luakit_resume(lua_State *L, lua_State *from, int nargs, int *nresults) {
  int old = enter_lua(L);
  int status = lua_resume(L, from, nargs, nresults);
  leave_lua(L, old);
  return status;
}

int luakit_loadbuffer(lua_State *L, const char *buf, size_t len, const char *name, const char *mode) {
  int old = enter_lua(L);
  int status = luaL_loadbufferx(L, buf, len, name, mode);
  leave_lua(L, old);
  return status;
}

int luakit_loadfile(lua_State *L, const char *path, const char *mode) {
  int old = enter_lua(L);
  int status = luaL_loadfilex(L, path, mode);
  leave_lua(L, old);
  return status;
}

/* ------------------------------------------------- Swift functions, objects */

static const char object_marker_key = 'O';

/* __gc of every LuaKit userdata: release its Swift object exactly once. */
static int gc_object(lua_State *L) {
  void **slot = (void **)lua_touserdata(L, 1);
  if (slot != NULL && *slot != NULL) {
    void *box = *slot;
    *slot = NULL;
    swift_release(box);
  }
  return 0;
}

void luakit_object_metatable(lua_State *L, const char *tname) {
  if (luaL_newmetatable(L, tname)) { /* new: registry[tname] = mt, __name set */
    lua_pushcfunction(L, gc_object);
    lua_setfield(L, -2, "__gc"); /* a fresh table without metatable: a raw set */
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &object_marker_key);
  }
}

void luakit_push_object(lua_State *L, void *box, const char *tname) {
  void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
  *slot = box;
  luakit_object_metatable(L, tname);
  lua_setmetatable(L, -2);
}

void *luakit_to_object(lua_State *L, int idx) {
  void **slot = (void **)lua_touserdata(L, idx);
  if (slot == NULL || lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
    return NULL;
  int marked = lua_rawgetp(L, -1, &object_marker_key) == LUA_TBOOLEAN;
  lua_pop(L, 2);
  return marked ? *slot : NULL;
}

static const char raise_sentinel = 'R';

void luakit_push_raise_sentinel(lua_State *L) { lua_pushlightuserdata(L, (void *)&raise_sentinel); }

/*
 * Where a Swift function that yielded carries on. The stack holds the
 * function's own slots up to `base`, then the values passed to lua_resume:
 * they are its results, unless the first is the raise sentinel, in which
 * case the second is raised as an error from the function.
 */
static int resume_continuation(lua_State *L, int status, lua_KContext base) {
  (void)status;
  int first = (int)base + 1;
  if (lua_gettop(L) >= first && lua_touserdata(L, first) == (void *)&raise_sentinel) {
    lua_settop(L, first + 1);
    return lua_error(L);
  }
  return lua_gettop(L) - (int)base;
}

/*
 * The one trampoline for every Swift function. Swift runs and returns; only
 * then, here in C, is an error raised or a yield made.
 */
static int trampoline(lua_State *L) {
  void **slot = (void **)lua_touserdata(L, lua_upvalueindex(1));
  Heap *h = heap_of(L);
  int old = h->swift_on_top;
  h->swift_on_top = 1;
  int code = swift_dispatch(L, *slot);
  h->swift_on_top = old;
  if (code >= 0) return code;
  if (code == LUAKIT_RAISE) return lua_error(L);
  int n = LUAKIT_YIELD_BASE - code;
  return lua_yieldk(L, n, (lua_KContext)(lua_gettop(L) - n), resume_continuation);
}

void luakit_push_function(lua_State *L, void *box) {
  luakit_push_object(L, box, "luakit.function");
  lua_pushcclosure(L, trampoline, 1);
}

/* ------------------------------------------------------- host coroutines */

static const char host_threads_key = 'H';

/* The registry's weak-keyed set of host threads, pushed (created on first use). */
static void push_host_threads(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &host_threads_key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 1);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "__mode");
  lua_pushliteral(L, "k");
  lua_rawset(L, -3);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &host_threads_key);
}

void luakit_mark_host_thread(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  push_host_threads(L);
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

int luakit_is_host_thread(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &host_threads_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pushthread(L);
  int marked = lua_rawget(L, -2) == LUA_TBOOLEAN;
  lua_pop(L, 2);
  return marked;
}

/* coroutine.yield: a host thread stands for the main thread, which cannot yield. */
static int guarded_yield(lua_State *L) {
  if (luakit_is_host_thread(L)) {
    lua_pushliteral(L, "attempt to yield from outside a coroutine"); /* no position, as Lua's own */
    return lua_error(L);
  }
  return lua_yield(L, lua_gettop(L));
}

/* coroutine.isyieldable([co]): false for a host thread, as for the main thread. */
static int guarded_isyieldable(lua_State *L) {
  lua_State *co = L;
  if (!lua_isnone(L, 1)) {
    co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
  }
  lua_pushboolean(L, lua_isyieldable(co) && !luakit_is_host_thread(co));
  return 1;
}

/* coroutine.running(): a host thread reports itself as the main one. */
static int guarded_running(lua_State *L) {
  int ismain = lua_pushthread(L);
  lua_pushboolean(L, ismain || luakit_is_host_thread(L));
  return 2;
}

int luakit_op_guard_coroutines(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, -1, LUA_COLIBNAME) != LUA_TTABLE) return 0;
  lua_pushcfunction(L, guarded_yield);
  lua_setfield(L, -2, "yield");
  lua_pushcfunction(L, guarded_isyieldable);
  lua_setfield(L, -2, "isyieldable");
  lua_pushcfunction(L, guarded_running);
  lua_setfield(L, -2, "running");
  return 0;
}

int luakit_op_coroutine_error(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  int handler = (int)lua_tointeger(L, 2);
  lua_settop(L, 0);
  lua_xmove(co, L, 1); /* the error value */
  if (handler == LUAKIT_HANDLER_KEEP) {
    luaL_traceback(L, co, NULL, 0);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &last_traceback_key);
  } else if (handler == LUAKIT_HANDLER_LUAC) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
      if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, co, msg, 0);
  }
  return 1;
}

/* Continuation of run_chunk: the chunk's results are everything above the runner's slot 0. */
static int run_chunk_k(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  return lua_gettop(L);
}

/*
 * The body of a host coroutine: calls the chunk below its arguments. Being a
 * C function, it is the "[C]: in ?" frame that ends tracebacks, as lua.c's
 * pmain is; lua_callk keeps the chunk free to yield.
 */
static int run_chunk(lua_State *L) {
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, run_chunk_k);
  return run_chunk_k(L, LUA_OK, 0);
}

void luakit_push_chunk_runner(lua_State *L) { lua_pushcfunction(L, run_chunk); }

int luakit_resetthread(lua_State *L) {
  int old = enter_lua(L);
  int status = lua_resetthread(L);
  leave_lua(L, old);
  return status;
}

/* -------------------------------------------------- protected operations */

int luakit_op_gettable(lua_State *L) { lua_gettable(L, 1); return 1; }
int luakit_op_settable(lua_State *L) { lua_settable(L, 1); return 0; }
int luakit_op_tostring(lua_State *L) { luaL_tolstring(L, 1, NULL); return 1; }
int luakit_op_lessthan(lua_State *L) { lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT)); return 1; }
int luakit_op_lessequal(lua_State *L) { lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLE)); return 1; }
int luakit_op_equal(lua_State *L) { lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPEQ)); return 1; }
int luakit_op_len(lua_State *L) { lua_len(L, 1); return 1; }
int luakit_op_getglobal(lua_State *L) { lua_getglobal(L, luaL_checkstring(L, 1)); return 1; }
int luakit_op_setglobal(lua_State *L) { lua_settop(L, 2); lua_setglobal(L, luaL_checkstring(L, 1)); return 0; }
int luakit_op_openlibs(lua_State *L) { luaL_openlibs(L); return 0; }
int luakit_op_warn(lua_State *L) { lua_warning(L, luaL_checkstring(L, 1), 0); return 0; }

int luakit_op_require(lua_State *L) {
  lua_getglobal(L, "require");
  lua_insert(L, 1);
  lua_call(L, 1, 1);
  return 1;
}

/* ------------------------------------------------------------ identity */

void luakit_set_extra(lua_State *L, void *p) { *(void **)lua_getextraspace(L) = p; }
void *luakit_get_extra(lua_State *L) { return *(void **)lua_getextraspace(L); }

void luakit_write_stdout(const void *bytes, size_t len) {
  fwrite(bytes, 1, len, stdout);
  fflush(stdout);
}

void luakit_write_stderr(const void *bytes, size_t len) {
  fwrite(bytes, 1, len, stderr);
  fflush(stderr);
}

const char *luakit_copyright(void) { return LUA_COPYRIGHT; }
const char *luakit_version(void) { return LUA_RELEASE; }
int luakit_stdin_is_tty(void) { return isatty(0); }
