// Which backend runs which part of the graph, decided by measurement.
//
// The steps some backend (or our own kernels) can run form segments. Each
// segment is cut into chunks: one per heavy node (Conv, Gemm, MatMul, ...)
// with the light nodes after it, and a new one wherever the set of candidates
// changes. Every candidate of a chunk — each backend that accepts all of it,
// and our fast kernels when every node has one — is built for the chunk alone
// and timed on the real shapes. Where one backend could run two neighbouring
// chunks, the pair is timed too: what merging them saves (the layout changes
// at a partition's edge) is measured, not guessed. A dynamic program over each
// segment picks the cheapest assignment, and consecutive chunks given the same
// backend become one partition. The choices are cached on disk
// (tuning_cache.h), so only the first load of a model on a machine pays for
// the measurements.
//
// With more than one thread every candidate also competes in a one-thread
// form ("onednn@1", "ours@1"): small steps often run faster on the calling
// thread alone than split across a pool.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "backends/backend.h"
#include "backends/tuning_cache.h"

namespace ew {

// Our own kernel for step k, prepared for the session's pool or (`single`) for
// the calling thread alone; nullptr when none applies. `name` gets its name.
using OursKernelFn = std::function<std::unique_ptr<PreparedKernel>(int k, bool single, const char** name)>;

struct ChoiceOptions {
  BackendOptions backend;
  std::vector<const Backend*> backends;  // the candidates besides ours
  OursKernelFn ours;                     // may be empty: no kernels of ours compete
  std::string cache_dir;                 // "" = neither read nor write a cache
};

struct ChosenPlan {
  std::vector<Partition> partitions;                  // in step order, compiled
  std::vector<std::unique_ptr<PreparedKernel>> ours;  // per step: our kernel, where it was chosen
  std::vector<const char*> ours_names;
  std::vector<char> ours_single;                      // per step: our kernel runs on the calling thread only
  std::vector<BackendChoice> choices;                 // every chunk with a real choice, as measured
  bool from_cache = false;
  double tuning_seconds = 0;                          // time spent measuring (0 from the cache)
};

Result<ChosenPlan> choose_backends(const StepList& steps, const TypeLookup& types, const ChoiceOptions& options);

}  // namespace ew
