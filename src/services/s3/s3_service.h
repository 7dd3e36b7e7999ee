// Amazon S3: buckets, objects, multipart uploads and versioning over the SQLite+blob store
// (issue 4). Registration and lifecycle live in s3_service.cc; handlers in *_ops.cc.
#pragma once

#include <memory>

#include "services/service.h"

namespace nimbus::s3 {

std::unique_ptr<Service> make_service();

}  // namespace nimbus::s3
