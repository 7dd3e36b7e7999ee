// Logging to stderr with a level; one line per message.
#pragma once

#include <string_view>

namespace nimbus::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };
void set_level(Level l);
bool set_level(std::string_view name);  // "debug", "info", "warn", "error", "off"
bool enabled(Level l);
void write(Level l, std::string_view message);
inline void debug(std::string_view m) { write(Level::Debug, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void warn(std::string_view m) { write(Level::Warn, m); }
inline void error(std::string_view m) { write(Level::Error, m); }

}  // namespace nimbus::log
