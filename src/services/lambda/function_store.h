// Lambda's durable state: functions (their versions, each a configuration document plus a
// code blob), aliases, resource policies, tags and reserved concurrency, in env.db.
// A configuration is stored as the FunctionConfiguration document Get* returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "store/database.h"

namespace nimbus::lambda {

inline constexpr std::string_view kLatest = "$LATEST";

struct Scope {
  std::string account;
  std::string region;
};

struct FunctionVersion {
  std::string name;
  std::string version;    // "$LATEST", "1", "2", ...
  Document config;        // FunctionConfiguration as returned by GetFunctionConfiguration
  std::string code_blob;  // the zip, in env.blobs
};

// What belongs to the function rather than to one version.
struct FunctionMeta {
  std::string name;
  int64_t last_version = 0;  // the highest published version number
  std::string policy;        // resource-based policy JSON, "" when none
  Document tags;
  std::optional<int64_t> reserved_concurrency;
};

struct Alias {
  std::string function;
  std::string name;
  Document config;  // AliasConfiguration
};

void migrate(store::Database& db);
void erase_everything(store::Database& db);

std::optional<FunctionMeta> find_meta(store::Session& s, const Scope& sc, std::string_view name);
void put_meta(store::Transaction& tx, const Scope& sc, const FunctionMeta& m);

std::optional<FunctionVersion> find_version(store::Session& s, const Scope& sc,
                                            std::string_view name, std::string_view version);
// $LATEST first, then numbered versions in ascending order.
std::vector<FunctionVersion> list_versions(store::Session& s, const Scope& sc, std::string_view name);
// $LATEST of every function with a name after `after`, in name order, at most `limit`.
std::vector<FunctionVersion> list_functions(store::Session& s, const Scope& sc,
                                            std::string_view after, size_t limit);
void put_version(store::Transaction& tx, const Scope& sc, const FunctionVersion& v);
// Deletes one version, or the whole function (versions, aliases, meta) when version is
// empty. Returns the code blobs no longer referenced by any row (remove after commit).
std::vector<std::string> delete_function(store::Transaction& tx, const Scope& sc,
                                         std::string_view name, std::string_view version);
// The bytes of every version's package (AWS's "code storage" of the account and region).
int64_t total_code_size(store::Session& s, const Scope& sc);
bool blob_referenced(store::Session& s, std::string_view blob);

std::optional<Alias> find_alias(store::Session& s, const Scope& sc, std::string_view function,
                                std::string_view alias);
std::vector<Alias> list_aliases(store::Session& s, const Scope& sc, std::string_view function);
void put_alias(store::Transaction& tx, const Scope& sc, const Alias& a);
void delete_alias(store::Transaction& tx, const Scope& sc, std::string_view function,
                  std::string_view alias);

}  // namespace nimbus::lambda
