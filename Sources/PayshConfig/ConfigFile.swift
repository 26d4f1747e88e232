import PaymentsCore

/// The config file, `~/.config/paysh/config.lua` (being written: see issue 4).
public enum ConfigFile {}
