import PayshConfig
import Testing

@Suite struct ConfigFileTests {}
