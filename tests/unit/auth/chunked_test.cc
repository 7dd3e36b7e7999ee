// aws-chunked bodies: the two "Example: PUT Object" requests of the S3 API reference
// (sigv4-streaming and sigv4-streaming-trailers) with their published signatures, tampering,
// the unsigned-trailer framing the JavaScript SDK v3 sends, and bodies spilled to disk.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "auth/authenticate.h"
#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "auth_test_util.h"
#include "core/checksum.h"

namespace nimbus::auth {
namespace {

constexpr std::string_view kKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr double kExampleTime = 1369353600;  // 20130524T000000Z
constexpr std::string_view kSignedHeadersStreaming =
    "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
    "x-amz-decoded-content-length;x-amz-storage-class";
constexpr std::string_view kSignedHeadersTrailer =
    "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;"
    "x-amz-storage-class;x-amz-trailer";

class Chunked : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = std::make_shared<testing::FixedStore>();
    store->put(testing::user_credential(std::string(kKey), std::string(kSecret)));
    registry_.add(store);
    settings_.mode = AuthMode::Strict;
    settings_.credentials = &registry_;
  }

  static HttpRequest example_request(bool trailer, std::string_view seed) {
    HttpRequest req;
    req.method = "PUT";
    testing::set_target(req, "/examplebucket/chunkObject.txt");
    req.headers.add("Host", "s3.amazonaws.com");
    req.headers.add("x-amz-date", "20130524T000000Z");
    req.headers.add("x-amz-storage-class", "REDUCED_REDUNDANCY");
    req.headers.add("x-amz-content-sha256", trailer ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
                                                    : "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    req.headers.add("Content-Encoding", "aws-chunked");
    req.headers.add("x-amz-decoded-content-length", "66560");
    if (trailer)
      req.headers.add("x-amz-trailer", "x-amz-checksum-crc32c");
    else
      req.headers.add("Content-Length", "66824");
    req.headers.add("Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                    "aws4_request,SignedHeaders=" +
                        std::string(trailer ? kSignedHeadersTrailer : kSignedHeadersStreaming) +
                        ",Signature=" + std::string(seed));
    return req;
  }

  static std::string chunk(size_t n, std::string_view sig) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx", n);
    return std::string(size) + ";chunk-signature=" + std::string(sig) + "\r\n" +
           std::string(n, 'a') + (n ? "\r\n" : "");
  }

  static std::string streaming_body() {
    return chunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
           chunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
           chunk(0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9") + "\r\n";
  }

  static std::string trailer_body(std::string_view crc = "sOO8/Q==") {
    return chunk(65536, "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2") +
           chunk(1024, "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7") +
           chunk(0, "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992") +
           "x-amz-checksum-crc32c:" + std::string(crc) + "\r\n" +
           "x-amz-trailer-signature:"
           "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n";
  }

  static void set_body(HttpRequest& req, std::string body) {
    req.body.size = body.size();
    req.body.data = std::move(body);
  }

  AwsError expect_error(HttpRequest& req) {
    try {
      authenticate_at(req, settings_, ErrorStyle::S3, false, kExampleTime + 30);
    } catch (const AwsError& e) {
      return e;
    }
    ADD_FAILURE() << "request was accepted";
    return AwsError();
  }

  CredentialRegistry registry_;
  AuthSettings settings_;
};

TEST_F(Chunked, AwsStreamingExampleDecodes) {
  HttpRequest req =
      example_request(false, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  set_body(req, streaming_body());
  ASSERT_EQ(req.body.size, 66824u);  // the example's Content-Length
  AuthResult r = authenticate_at(req, settings_, ErrorStyle::S3, false, kExampleTime + 30);
  EXPECT_TRUE(r.signed_request);
  EXPECT_EQ(req.body.data, std::string(66560, 'a'));
  EXPECT_EQ(req.body.size, 66560u);
  EXPECT_EQ(req.headers.value("Content-Length"), "66560");
  EXPECT_FALSE(req.headers.has("Content-Encoding"));
}

TEST_F(Chunked, AwsTrailerExampleDecodesAndRecordsChecksum) {
  HttpRequest req =
      example_request(true, "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e");
  set_body(req, trailer_body());
  authenticate_at(req, settings_, ErrorStyle::S3, false, kExampleTime + 30);
  EXPECT_EQ(req.body.data, std::string(66560, 'a'));
  EXPECT_EQ(req.headers.value("x-amz-checksum-crc32c"), "sOO8/Q==");
}

TEST_F(Chunked, TamperedChunkIsRefused) {
  HttpRequest req =
      example_request(false, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  std::string body = streaming_body();
  body[200] = 'b';
  set_body(req, body);
  AwsError e = expect_error(req);
  EXPECT_EQ(e.code, "SignatureDoesNotMatch");
  EXPECT_EQ(e.status, 403);
  ASSERT_GE(e.extra.size(), 2u);
  EXPECT_EQ(e.extra[1].first, "StringToSign");
  EXPECT_EQ(e.extra[1].second.rfind("AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n", 0), 0u);
}

TEST_F(Chunked, WrongTrailerSignatureIsRefused) {
  HttpRequest req =
      example_request(true, "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e");
  // A different checksum changes the signed trailer: the signature no longer matches.
  set_body(req, trailer_body("AAAAAA=="));
  AwsError e = expect_error(req);
  EXPECT_EQ(e.code, "SignatureDoesNotMatch");
}

HttpRequest unsigned_trailer_request(std::string_view data, std::string_view crc) {
  // The framing @aws-sdk/client-s3 v3 sends: hex size, data, then the trailer.
  HttpRequest req;
  req.method = "PUT";
  testing::set_target(req, "/bucket/key.txt");
  req.headers.add("Host", "localhost:4566");
  req.headers.add("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  req.headers.add("Content-Encoding", "aws-chunked,gzip");
  req.headers.add("x-amz-trailer", "x-amz-checksum-crc32");
  req.headers.add("x-amz-decoded-content-length", std::to_string(data.size()));
  char size[32];
  std::snprintf(size, sizeof size, "%zx", data.size());
  req.body.data = std::string(size) + "\r\n" + std::string(data) + "\r\n0\r\n" +
                  "x-amz-checksum-crc32:" + std::string(crc) + "\r\n\r\n";
  req.body.size = req.body.data.size();
  return req;
}

TEST_F(Chunked, UnsignedTrailerWithCrc32) {
  const std::string data = "hello from the JavaScript SDK";
  HttpRequest req =
      unsigned_trailer_request(data, checksum_base64(ChecksumAlgorithm::Crc32, data));
  sign_request(req, kKey, kSecret, "us-east-1", "s3", kExampleTime);
  authenticate_at(req, settings_, ErrorStyle::S3, false, kExampleTime + 30);
  EXPECT_EQ(req.body.data, data);
  EXPECT_EQ(req.headers.value("Content-Encoding"), "gzip");
  EXPECT_EQ(req.headers.value("x-amz-checksum-crc32"),
            checksum_base64(ChecksumAlgorithm::Crc32, data));
}

TEST_F(Chunked, UnsignedTrailerWithWrongCrc32IsBadDigest) {
  HttpRequest req = unsigned_trailer_request("payload", "AAAAAA==");
  sign_request(req, kKey, kSecret, "us-east-1", "s3", kExampleTime);
  AwsError e = expect_error(req);
  EXPECT_EQ(e.code, "BadDigest");
  EXPECT_EQ(e.message, "The CRC32 you specified did not match the calculated checksum.");
  EXPECT_EQ(e.status, 400);
}

TEST_F(Chunked, DecodedLengthMustMatch) {
  HttpRequest req = unsigned_trailer_request("payload", checksum_base64(ChecksumAlgorithm::Crc32,
                                                                        "payload"));
  req.headers.set("x-amz-decoded-content-length", "8");
  sign_request(req, kKey, kSecret, "us-east-1", "s3", kExampleTime);
  EXPECT_EQ(expect_error(req).code, "IncompleteBody");
}

TEST_F(Chunked, SpilledBodyStaysOnDisk) {
  HttpRequest req =
      example_request(false, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  std::string path = ::testing::TempDir() + "nimbus_chunked_spill_test";
  {
    std::ofstream f(path, std::ios::binary);
    f << streaming_body();
  }
  req.body.file_path = path;
  req.body.size = 66824;
  authenticate_at(req, settings_, ErrorStyle::S3, false, kExampleTime + 30);
  EXPECT_EQ(req.body.file_path, path);
  EXPECT_EQ(req.body.size, 66560u);
  EXPECT_EQ(req.body.read_all(), std::string(66560, 'a'));
}

TEST_F(Chunked, TruncatedBodyIsIncomplete) {
  HttpRequest req =
      example_request(false, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  set_body(req, streaming_body().substr(0, 1000));
  EXPECT_EQ(expect_error(req).code, "IncompleteBody");
}

}  // namespace
}  // namespace nimbus::auth
