/// The formats of `paysh -p EXPR -o FORMAT` (rendered by the stdlib's `paysh.output`).
enum OutputFormat {
    static let names = ["pretty", "json", "table", "csv", "lua"]

    /// The chunk `-p` runs: called with the compiled expression, the format and
    /// whether stdout is a terminal; runs the expression (as a coroutine of the
    /// scheduler, so its calls can wait for I/O), turns cursors into their
    /// items, and returns the text to write.
    static let printer = """
    local expression, format, color = ...
    local values = table.pack(expression())
    for i = 1, values.n do
      local mt = getmetatable(values[i])
      if type(mt) == "table" and rawget(mt, "__name") == "paysh.cursor" then values[i] = values[i]:all() end
    end
    return require("paysh.output").render(format, values, { color = color })
    """
}
