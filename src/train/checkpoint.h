// Crash-safe training checkpoints: everything a run needs to continue
// bit-identically after a restart, in one self-checking file per save.
//
// File format (.ewck, version 1; all integers little-endian):
//   "EWCK" | u32 version | u64 file size | sections... | u32 CRC-32 (zlib) of every byte before it
//   section: 4-byte tag | u64 payload size | payload
//     HEAD  i64 step, epoch, batch_in_epoch, optimizer_steps (each >= 0)
//     PARM, BUFF, OPTM  tensor maps: u32 count, then per tensor
//           u32 name size | name | i32 dtype (ONNX number) | u32 rank | i64 dims[rank] | u64 byte size | bytes
//     RNGS  the mt19937_64 state as text (empty, or one that reads back into the engine)
//     ORDR  u64 count | i64 sample indices (each >= 0)
//     FING  fingerprint text      META  free-form text (JSON by convention)
// Each of the eight sections appears exactly once; sections with other tags are
// skipped (room for additions without a version change). The reader checks the
// frame (magic, version, checksum, size) before reading a section, and every
// size against the bytes that remain, so hostile input yields an error, never
// a crash, UB or an allocation larger than the input (names <= 4096 bytes,
// rank <= 32, tensors also within max_tensor_bytes()).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace ew::train {

inline constexpr uint32_t kCheckpointVersion = 1;

struct TrainingState {
  int64_t step = 0, epoch = 0, batch_in_epoch = 0;
  std::map<std::string, Tensor> parameters;  // trainable values
  std::map<std::string, Tensor> buffers;     // e.g. BatchNorm running mean/var
  std::map<std::string, Tensor> optimizer;   // Optimizer::state()
  int64_t optimizer_steps = 0;
  std::string rng_state;                     // std::mt19937_64 state as text (operator<<)
  std::vector<int64_t> data_order;           // the current epoch's sample permutation
  std::string fingerprint;                   // identifies model + options; a mismatch on resume is an error
  std::string meta_json;                     // free-form (losses so far, options) for reports
};

// Writes DIR/ckpt-<step>.ewck atomically: the bytes go to a temporary file in
// DIR (".ckpt-<step>.ewck.tmp.<pid>"), which is fsynced, renamed over the final
// name, and DIR is fsynced; a crash at any point leaves either the old files or
// the complete new one, never a half-written file under a final name. DIR is
// created when missing. Then keeps the `keep` (>= 1) checkpoints with the
// highest steps, always including the one just written, and removes leftover
// temporary files of earlier crashed saves.
Status save_checkpoint(const std::string& dir, const TrainingState& s, int keep = 2);

// The newest checkpoint in DIR (highest <step> in ckpt-<step>.ewck) that reads
// back intact and holds the step its name says. When newer files are corrupt,
// it falls back to the newest intact one only if the caller allows it by
// passing `warning`, which then names each skipped file and what is wrong
// ("" when nothing was skipped); without `warning` a corrupt newest file is an
// error. With no intact file the error names every file and its problem (bad
// magic, version, truncated, checksum mismatch, ...). Temporary files are ignored.
Result<TrainingState> load_latest_checkpoint(const std::string& dir, std::string* warning = nullptr);

Result<TrainingState> read_checkpoint_file(const std::string& path);
// The file bytes; fails on undefined tensors, negative counters or indices, an
// rng_state that is not an mt19937_64 state, or names/ranks over the limits.
Result<std::string> serialize_checkpoint(const TrainingState& s);
// Validates everything (frame, checksum, every section); errors start with `what` (e.g. the path).
Result<TrainingState> parse_checkpoint(const std::string& bytes, const std::string& what);

// An error naming both fingerprints when a resumed state belongs to another model or options.
Status check_fingerprint(const TrainingState& s, const std::string& expected);

}  // namespace ew::train
