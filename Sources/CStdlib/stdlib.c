#include "cstdlib_paysh.h"

#include <string.h>

/* One entry per file of stdlib/; StdlibTests fails when a file is missing here. */
static const unsigned char inspect_lua[] = {
#embed "../../stdlib/inspect.lua"
};
static const unsigned char money_lua[] = {
#embed "../../stdlib/money.lua"
};
static const unsigned char csv_lua[] = {
#embed "../../stdlib/csv.lua"
};
static const unsigned char paysh_output_lua[] = {
#embed "../../stdlib/paysh/output.lua"
};

static const unsigned char paysh_values_lua[] = {
#embed "../../stdlib/paysh/values.lua"
};
static const unsigned char paysh_repl_lua[] = {
#embed "../../stdlib/paysh/repl.lua"
};

static const struct {
  const char *name;
  const unsigned char *source;
  size_t length;
} modules[] = {
  {"inspect", inspect_lua, sizeof inspect_lua},
  {"money", money_lua, sizeof money_lua},
  {"csv", csv_lua, sizeof csv_lua},
  {"paysh.output", paysh_output_lua, sizeof paysh_output_lua},
  {"paysh.values", paysh_values_lua, sizeof paysh_values_lua},
  {"paysh.repl", paysh_repl_lua, sizeof paysh_repl_lua},
};

const unsigned char *paysh_stdlib_source(const char *name, size_t *len) {
  for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
    if (strcmp(modules[i].name, name) == 0) {
      *len = modules[i].length;
      return modules[i].source;
    }
  }
  return NULL;
}

const char *paysh_stdlib_name(size_t i) {
  return i < sizeof modules / sizeof modules[0] ? modules[i].name : NULL;
}
