/* The system Lua 5.4 headers, as one module for Swift. */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
