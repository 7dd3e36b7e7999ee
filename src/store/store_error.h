// The error the store throws at request time: an AwsError (so the dispatcher renders it as a
// 500/503 like any other) that also keeps SQLite's result code for callers that care.
#pragma once

#include <string>

#include "core/aws_error.h"

namespace nimbus::store {

struct StoreError : AwsError {
  int sqlite_code = 0;  // SQLite's primary result code; 0 for file-system errors

  StoreError(std::string message, int sqlite_code = 0);
  // A UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint failed. Prefer
  // `INSERT ... ON CONFLICT DO NOTHING` and a look at exec()'s count where you can.
  bool constraint() const;
  // Another process held the database past the busy timeout.
  bool busy() const;
};

}  // namespace nimbus::store
