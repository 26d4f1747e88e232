/*
 * luakit_shim: the part of LuaKit that has to be written in C.
 *
 * Lua reports errors with longjmp. A longjmp that crosses a Swift frame is
 * undefined behaviour, so Swift never calls a Lua function that can raise.
 * Everything that can raise runs here, in C, under lua_pcall, and Swift only
 * ever sees a status code. Swift functions called from Lua return a code to
 * the C trampoline, which raises (or yields) after the Swift frame is gone.
 */
#ifndef LUAKIT_SHIM_H
#define LUAKIT_SHIM_H

#include <semaphore.h>
#include <stddef.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/* Codes a Swift function returns to the trampoline besides a result count. */
#define LUAKIT_RAISE (-1)        /* raise the value on top of the stack */
#define LUAKIT_YIELD_BASE (-2)   /* -2 - n: yield the n values on top */

/* How luakit_pcall treats an error value. */
#define LUAKIT_HANDLER_NONE 0      /* no message handler */
#define LUAKIT_HANDLER_KEEP 1      /* keep the error value, record a traceback */
#define LUAKIT_HANDLER_LUAC 2      /* lua.c's: message with traceback appended */

/* Called by the trampoline: run the Swift function `box` on L's stack. */
typedef int (*luakit_dispatch_fn)(lua_State *L, void *box);
/* Called by __gc: drop the Swift reference held by a userdata. */
typedef void (*luakit_release_fn)(void *box);

/* Install the two Swift entry points (once per process). */
void luakit_set_callbacks(luakit_dispatch_fn dispatch, luakit_release_fn release);

/* A new state with LuaKit's allocator and panic handler; NULL on failure. */
lua_State *luakit_newstate(void);
/* Close a state made by luakit_newstate and free its allocator record. */
void luakit_close(lua_State *L);
/* A full garbage collection (lua_gc is variadic, which Swift cannot call). */
void luakit_gc_collect(lua_State *L);
/* lua.c's collector settings: stopped while the state is set up... */
void luakit_gc_stop(lua_State *L);
/* ...then restarted in generational mode. */
void luakit_gc_restart_generational(lua_State *L);
/* Bytes the state's allocator currently holds. */
size_t luakit_bytes_in_use(lua_State *L);
/*
 * A cap on those bytes (0, the default: none). Past it, an allocation made
 * while Lua runs fails, which Lua reports as "not enough memory" once a full
 * collection has not freed enough; one made while Swift is on top (below)
 * still goes through, since failing there would end the process.
 */
void luakit_set_memory_limit(lua_State *L, size_t bytes);
size_t luakit_memory_limit(lua_State *L);

/*
 * Allocation failure. Inside lua_pcall, lua_resume or lua_load a failed
 * allocation becomes Lua's ordinary "not enough memory" error. Anywhere else
 * Swift is on top of the C stack, where a longjmp is not allowed, so the
 * allocator ends the process with a message instead (as Swift itself does
 * when it runs out of memory). This is what makes the plain push functions
 * (lua_pushlstring, lua_createtable, lua_rawset with a string or integer key)
 * safe to call from Swift: out of memory is the only way they can raise.
 */

/*
 * Run `f` protected, with the `nargs` values on top of the stack as its
 * arguments; leaves `nresults` results or the error value. Returns a Lua
 * status. This is how Swift performs any operation that can raise.
 */
int luakit_pcallf(lua_State *L, lua_CFunction f, int nargs, int nresults);
/* lua_pcall of the function below the `nargs` arguments, with a handler. */
int luakit_pcall(lua_State *L, int nargs, int nresults, int handler);
/* As luakit_pcall, and Ctrl-C during the call raises "interrupted!". */
int luakit_pcall_interruptible(lua_State *L, int nargs, int nresults, int handler);
/*
 * Ctrl-C around a coroutine run: SIGINT arms a hook raising "interrupted!"
 * in L, records the request and posts `wake` (may be NULL), so that a host
 * blocked waiting for I/O notices. Nested begin/end pairs count.
 */
void luakit_interrupt_begin(lua_State *L, sem_t *wake);
void luakit_interrupt_end(void);
/* The coroutine about to run: Ctrl-C arms its hook from now on. */
void luakit_interrupt_target(lua_State *L);
/* Whether Ctrl-C was pressed since begin or the last take; clears it. */
int luakit_interrupt_take(void);
/* The traceback recorded by the last LUAKIT_HANDLER_KEEP error (pushes it, or nil). */
void luakit_push_last_traceback(lua_State *L);
/* lua_resume, with the allocator told that Lua (not Swift) is running. */
int luakit_resume(lua_State *L, lua_State *from, int nargs, int *nresults);
/* lua_load of a buffer, with the same allocator bookkeeping. */
int luakit_loadbuffer(lua_State *L, const char *buf, size_t len, const char *name, const char *mode);
/* luaL_loadfilex (NULL = stdin), with the same allocator bookkeeping. */
int luakit_loadfile(lua_State *L, const char *path, const char *mode);

/*
 * Host coroutines. The host runs each chunk as a coroutine of its own and
 * marks it; a Swift function in a marked thread may suspend it (yield) while
 * its I/O runs. To Lua code a marked thread looks like the main thread:
 * coroutine.yield raises, isyieldable is false, running says "main".
 */
void luakit_mark_host_thread(lua_State *L, int idx);
/* Whether L (the running thread) is a marked host thread. */
int luakit_is_host_thread(lua_State *L);
/*
 * A yielded Swift function is resumed with its results; resumed with this
 * light userdata followed by a value, it raises that value instead.
 */
void luakit_push_raise_sentinel(lua_State *L);
/* Push the C function a host coroutine runs: it calls its first argument with the rest. */
void luakit_push_chunk_runner(lua_State *L);
/* lua_resetthread (closes pending to-be-closed variables), with the allocator's bookkeeping. */
int luakit_resetthread(lua_State *L);

/* Push a Lua function whose calls go to the Swift function `box` (retained by the caller, released by __gc). */
void luakit_push_function(lua_State *L, void *box);
/* Push a full userdata owning the Swift object `box`, with the metatable named `tname` (created on first use). */
void luakit_push_object(lua_State *L, void *box, const char *tname);
/* The Swift object owned by the userdata at idx, or NULL when it is not a LuaKit object. */
void *luakit_to_object(lua_State *L, int idx);
/* Push the metatable `tname`, creating it with LuaKit's __gc and marker on first use. */
void luakit_object_metatable(lua_State *L, const char *tname);

/* Operations for luakit_pcallf: each takes its operands as arguments 1..n. */
int luakit_op_gettable(lua_State *L);   /* (t, k) -> t[k] */
int luakit_op_settable(lua_State *L);   /* (t, k, v) -> () */
int luakit_op_tostring(lua_State *L);   /* (v) -> tostring(v), honouring __tostring and __name */
int luakit_op_lessthan(lua_State *L);   /* (a, b) -> a < b */
int luakit_op_lessequal(lua_State *L);  /* (a, b) -> a <= b */
int luakit_op_equal(lua_State *L);      /* (a, b) -> a == b, honouring __eq */
int luakit_op_len(lua_State *L);        /* (v) -> #v */
int luakit_op_getglobal(lua_State *L);  /* (name) -> _G[name] */
int luakit_op_setglobal(lua_State *L);  /* (name, v) -> () */
int luakit_op_openlibs(lua_State *L);   /* () -> (), the standard libraries, untouched */
int luakit_op_require(lua_State *L);    /* (name) -> require(name) */
int luakit_op_warn(lua_State *L);       /* (msg) -> lua_warning(msg) */
int luakit_op_guard_coroutines(lua_State *L); /* () -> (), coroutine.yield/isyieldable/running for host threads */
/* (co, handler) -> the error value on co's top, shaped by `handler` as luakit_pcall would (traceback of co). */
int luakit_op_coroutine_error(lua_State *L);

/* The pointer kept in a state's extra space (shared by all its threads). */
void luakit_set_extra(lua_State *L, void *p);
void *luakit_get_extra(lua_State *L);

/* Write bytes to C's stdout / stderr (the same FILE streams Lua's print and io use), then flush. */
void luakit_write_stdout(const void *bytes, size_t len);
void luakit_write_stderr(const void *bytes, size_t len);

/* Lua's own identification strings. */
const char *luakit_copyright(void);
const char *luakit_version(void);
int luakit_stdin_is_tty(void);

#endif
