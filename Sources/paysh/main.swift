import Glibc
import PayshCLI

// argv as bytes: Lua code and script arguments may hold any byte.
let argv = (0 ..< Int(CommandLine.argc)).map { i -> [UInt8] in
    let raw = CommandLine.unsafeArgv[i]!
    return Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
}
exit(Interpreter.main(argv))
