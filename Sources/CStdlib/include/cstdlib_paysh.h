/*
 * The Lua files of stdlib/, compiled into the binary with C23 #embed, so a
 * built paysh needs no files beside it. Each module is found by its
 * require name ("inspect", "paysh.output").
 */
#ifndef CSTDLIB_PAYSH_H
#define CSTDLIB_PAYSH_H

#include <stddef.h>

/* The source of module `name`, and its length in *len; NULL when there is no such module. */
const unsigned char *paysh_stdlib_source(const char *name, size_t *len);
/* The name of module number i (from 0), or NULL past the last. */
const char *paysh_stdlib_name(size_t i);

#endif
