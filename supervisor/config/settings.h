// The table of fibpool's settings: for each one its name, its allowed range,
// its help text, whether SIGHUP applies it live, and how a text value is
// checked and stored into a Config. It is the single source for the command
// line's options, the environment's FIBPOOL_* names, the config file's names,
// the help text and the range checks. The defaults are Config's member
// initialisers (config.h); the table shows them, it does not restate them.
//
// Pure apart from resolving a host name (kHost, HostLookup::kResolve): no
// other I/O, no state besides
// the constant table (thread-safe).
// Errors are values (a message without the value's source: the caller names
// where the value came from).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "supervisor/config/config.h"

namespace fibpool::supervisor {

enum class SettingKind {
  kInteger,    // a decimal integer in [min, max]
  kSeconds,    // seconds, fractions allowed; stored in ms, [min, max] in ms
  kText,       // any text
  kHost,       // an IP address or a host name, resolved to an address
  kAlgorithm,  // fast or recursive, any case
  kLogLevel,   // trace ... off, any case; warning = warn
  kBool,       // true, false, on, off, yes, no, 1 or 0, any case; stored as 1 or 0
  kShare,      // off, on or a fraction 0 to 1, any case; stored in millionths
};

struct Setting {
  std::string_view name;  // as on the command line, without "--": "max-n"
  SettingKind kind;
  std::int64_t min = 0;  // kInteger: the value; kSeconds: milliseconds
  std::int64_t max = 0;
  bool live = false;              // SIGHUP applies it without a restart
  std::string_view help;          // what it does
  std::string_view range_text;    // the allowed values in words, empty: from min/max
  std::string_view default_text;  // empty: Show() of a default Config
  void (*store)(Config&, std::int64_t number, const std::string& text);
  std::string (*show)(const Config&);
};

// Every setting, in the order of --help.
std::span<const Setting> Settings();

// The setting named `name` (command-line form "max-n", or file/environment
// form "max_n" / "MAX_N"); nullptr when there is none.
const Setting* FindSetting(std::string_view name);

// `name` in the command-line form: lower case, '_' -> '-'.
std::string SettingName(std::string_view name);
// `name` in the file form: '-' -> '_'.
std::string FileName(std::string_view name);

// The allowed values, as error messages and --help state them ("0 to 65535").
std::string RangeText(const Setting& setting);
// The default, as --help states it.
std::string DefaultText(const Setting& setting);

// Checks `text` against `setting` and stores it into `config`; the host
// setting is looked up only with HostLookup::kResolve (config.h). On failure
// returns one line such as "port must be 0 to 65535, got '-5'" and leaves
// `config` unchanged.
std::optional<std::string> Assign(const Setting& setting, std::string_view text, Config& config,
                                  HostLookup lookup = HostLookup::kResolve);

// The setting whose name is closest to `name` (edit distance, either form),
// when it is close enough to be a likely typo; nullptr otherwise.
const Setting* ClosestSetting(std::string_view name);

}  // namespace fibpool::supervisor
