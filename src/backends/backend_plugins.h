// Backends built as plugins: libedgewise_<name>.so beside libedgewise.so
// (or in $EW_PLUGIN_DIR), loaded on first use of the backend registry. Each
// registers itself when loaded (EW_REGISTER_BACKEND). A missing plugin means
// one backend less, never an error.
#pragma once

#include <string>
#include <vector>

namespace ew {

// Loads every plugin once per process (thread-safe; later calls return at once).
void load_backend_plugins();
// Why plugins failed to load ("" entries never appear; empty when all loaded).
std::vector<std::string> backend_plugin_errors();

}  // namespace ew
