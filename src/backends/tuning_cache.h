// The measured choice between backends, remembered on disk so the second load
// of a model is as fast as an untuned one. One JSON file per key: the model's
// structure and shapes (not its weights, which do not change the timing), the
// CPU, the thread count, the precision and the backends' versions.
//
// The folder is $EW_TUNING_CACHE, else $XDG_CACHE_HOME/edgewise/tuning, else
// ~/.cache/edgewise/tuning. Files are written whole (temp file + rename), so
// concurrent loads never read half a file; unreadable files count as misses.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.h"

namespace ew {

// One region the choice was made for, as measured.
struct BackendChoice {
  int begin = 0, end = 0;                 // executor steps [begin, end)
  std::string first_node;                 // label of its first node
  int nodes = 0;
  std::string chosen;                     // a backend's name, or "ours"
  std::map<std::string, double> seconds;  // each candidate timed alone on the real shapes
};

// Key of a model's choice: a hash of everything the timings depend on.
std::string tuning_key(const StepList& steps, const TypeLookup& types, const BackendOptions& options,
                       const std::vector<const Backend*>& backends);
// The default cache folder.
std::string default_tuning_cache_dir();

// The choices a cache file holds, when it is for `key` and well formed; empty otherwise.
std::vector<BackendChoice> tuning_from_json(const nlohmann::json& j, const std::string& key);
// The choices stored under `key` in `dir`; empty when there are none.
std::vector<BackendChoice> load_tuning(const std::string& dir, const std::string& key);
// Stores them (best effort: a read-only disk only costs the next load a re-measurement).
void save_tuning(const std::string& dir, const std::string& key, const std::vector<BackendChoice>& choices);

}  // namespace ew
