// Behaviours of the XML-family codecs that the botocore vectors do not pin: SQS's old
// query names, S3's streaming bodies, metadata headers and errors, malformed input.
#include <gtest/gtest.h>

#include "protocol/xml/xml_codecs.h"

namespace nimbus::protocol {
namespace {

// An SQS-like query model in JSON form: flattened lists and maps named by locationName.
constexpr const char* kQueryModel = R"({
  "metadata": {"protocol": "query", "apiVersion": "2012-11-05", "endpointPrefix": "sqs",
               "xmlNamespace": "http://queue.amazonaws.com/doc/2012-11-05/"},
  "shapes": {
    "Attr": {"type": "structure", "members": {"StringValue": {"shape": "S"}, "DataType": {"shape": "S"}}},
    "AttrMap": {"type": "map", "key": {"shape": "S", "locationName": "Name"},
                "value": {"shape": "Attr", "locationName": "Value"}, "flattened": true},
    "Names": {"type": "list", "member": {"shape": "S", "locationName": "AttributeName"}, "flattened": true},
    "In": {"type": "structure", "members": {
      "QueueUrl": {"shape": "S"}, "Max": {"shape": "I", "locationName": "MaxNumberOfMessages"},
      "AttributeNames": {"shape": "Names"},
      "MessageAttributes": {"shape": "AttrMap", "locationName": "MessageAttribute"},
      "When": {"shape": "T"}, "Raw": {"shape": "B"}, "Flag": {"shape": "Bool"}}},
    "Out": {"type": "structure", "members": {"QueueUrl": {"shape": "S"}, "Made": {"shape": "T"},
      "Tags": {"shape": "TagMap", "locationName": "Tag"}}},
    "TagMap": {"type": "map", "key": {"shape": "S", "locationName": "Key"},
               "value": {"shape": "S", "locationName": "Value"}, "flattened": true},
    "QueueDoesNotExist": {"type": "structure", "members": {}, "exception": true,
      "error": {"code": "AWS.SimpleQueueService.NonExistentQueue", "httpStatusCode": 400}},
    "S": {"type": "string"}, "I": {"type": "integer"}, "T": {"type": "timestamp"},
    "B": {"type": "blob"}, "Bool": {"type": "boolean"}},
  "operations": {"ReceiveMessage": {"name": "ReceiveMessage", "input": {"shape": "In"},
    "output": {"shape": "Out", "resultWrapper": "ReceiveMessageResult"}}}
})";

// An S3-like rest-xml model: greedy key label, streaming body, metadata prefix headers.
constexpr const char* kRestModel = R"({
  "metadata": {"protocol": "rest-xml", "apiVersion": "2006-03-01", "endpointPrefix": "s3"},
  "shapes": {
    "PutIn": {"type": "structure", "required": ["Bucket", "Key"], "payload": "Body", "members": {
      "Bucket": {"shape": "S", "location": "uri", "locationName": "Bucket"},
      "Key": {"shape": "S", "location": "uri", "locationName": "Key"},
      "Body": {"shape": "Stream"},
      "Metadata": {"shape": "Meta", "location": "headers", "locationName": "x-amz-meta-"},
      "ContentLength": {"shape": "L", "location": "header", "locationName": "Content-Length"},
      "Expires": {"shape": "T", "location": "header", "locationName": "Expires"}}},
    "GetOut": {"type": "structure", "payload": "Body", "members": {
      "Body": {"shape": "Stream"},
      "ETag": {"shape": "S", "location": "header", "locationName": "ETag"},
      "Metadata": {"shape": "Meta", "location": "headers", "locationName": "x-amz-meta-"}}},
    "ListOut": {"type": "structure", "members": {"Name": {"shape": "S"},
      "Contents": {"shape": "Objects"}}},
    "Objects": {"type": "list", "member": {"shape": "Obj"}, "flattened": true},
    "Obj": {"type": "structure", "members": {"Key": {"shape": "S"}, "LastModified": {"shape": "T"}}},
    "Meta": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
    "Stream": {"type": "blob", "streaming": true},
    "S": {"type": "string"}, "L": {"type": "long"}, "T": {"type": "timestamp"}},
  "operations": {
    "PutObject": {"name": "PutObject", "http": {"method": "PUT", "requestUri": "/{Bucket}/{Key+}"},
                  "input": {"shape": "PutIn"}},
    "GetObject": {"name": "GetObject", "http": {"method": "GET", "requestUri": "/{Bucket}/{Key+}"},
                  "output": {"shape": "GetOut"}},
    "HeadObject": {"name": "HeadObject", "http": {"method": "HEAD", "requestUri": "/{Bucket}/{Key+}"}},
    "ListObjects": {"name": "ListObjects", "http": {"method": "GET", "requestUri": "/{Bucket}"},
                    "output": {"shape": "ListOut"}}}
})";

HttpRequest form_request(std::string body) {
  HttpRequest req;
  req.method = "POST";
  req.target = req.path = "/";
  req.headers.add("Content-Type", "application/x-www-form-urlencoded");
  req.body.data = std::move(body);
  req.body.size = req.body.data.size();
  return req;
}

TEST(QueryCodec, ParsesSqsStyleFlattenedNames) {
  auto model = ServiceModel::load(kQueryModel);
  auto req = form_request(
      "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fq&MaxNumberOfMessages=5"
      "&AttributeName.1=All&AttributeName.2=SenderId"
      "&MessageAttribute.1.Name=color&MessageAttribute.1.Value.StringValue=red"
      "&MessageAttribute.1.Value.DataType=String&When=2014-04-29T18%3A30%3A38Z"
      "&Raw=aGk%3D&Flag=true");
  auto doc = query_codec().parse_request(*model, *model->find_operation("ReceiveMessage"), req);
  EXPECT_EQ(to_json(doc),
            R"({"QueueUrl":"http://q","Max":5,"AttributeNames":["All","SenderId"],)"
            R"("MessageAttributes":{"color":{"StringValue":"red","DataType":"String"}},)"
            R"("When":1398796238,"Raw":"hi","Flag":true})");
}

TEST(QueryCodec, BadValuesAreMalformedQueryString) {
  auto model = ServiceModel::load(kQueryModel);
  const auto& op = *model->find_operation("ReceiveMessage");
  for (const std::string& body : std::vector<std::string>{"MaxNumberOfMessages=five", "Flag=yes", "Raw=%%%", "When=soon",
                           std::string("QueueUrl=a\0b", 12)}) {
    try {
      query_codec().parse_request(*model, op, form_request(body));
      ADD_FAILURE() << "accepted " << body;
    } catch (const AwsError& e) {
      EXPECT_EQ(e.code, "MalformedQueryString");
      EXPECT_EQ(e.status, 400);
    }
  }
}

TEST(QueryCodec, ResponseCarriesNamespaceWrapperAndRequestId) {
  auto model = ServiceModel::load(kQueryModel);
  HttpResponse out;
  out.headers.set("x-amzn-RequestId", "rid-1");
  Document doc{{"QueueUrl", "http://q"}, {"Made", 1398796238.5}, {"Tags", Document{{"k", "v"}}}};
  query_codec().serialize_response(*model, *model->find_operation("ReceiveMessage"), doc, out);
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.headers.value("Content-Type"), "text/xml");
  EXPECT_EQ(out.body,
            "<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
            "<ReceiveMessageResult><QueueUrl>http://q</QueueUrl>"
            "<Made>2014-04-29T18:30:38.500Z</Made><Tag><Key>k</Key><Value>v</Value></Tag>"
            "</ReceiveMessageResult><ResponseMetadata><RequestId>rid-1</RequestId>"
            "</ResponseMetadata></ReceiveMessageResponse>");
}

TEST(QueryCodec, ErrorUsesAwsQueryErrorCodeAndFault) {
  auto model = ServiceModel::load(kQueryModel);
  HttpResponse out;
  query_codec().serialize_error(*model, nullptr, AwsError("QueueDoesNotExist", "gone <now>"),
                                "rid-2", out);
  EXPECT_EQ(out.status, 400);
  EXPECT_NE(out.body.find("<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue"
                          "</Code><Message>gone &lt;now&gt;</Message>"),
            std::string::npos)
      << out.body;
  EXPECT_NE(out.body.find("<RequestId>rid-2</RequestId>"), std::string::npos);
  HttpResponse fault;
  query_codec().serialize_error(*model, nullptr, AwsError("InternalFailure", "x", 500), "r", fault);
  EXPECT_EQ(fault.status, 500);
  EXPECT_NE(fault.body.find("<Type>Receiver</Type>"), std::string::npos);
}

TEST(Ec2Codec, ResponseAndErrorShapes) {
  auto model = ServiceModel::load(R"({"metadata": {"protocol": "ec2", "apiVersion": "2016-11-15"},
    "shapes": {"Out": {"type": "structure", "members": {"Ids": {"shape": "L", "locationName": "idSet"}}},
               "L": {"type": "list", "member": {"shape": "S", "locationName": "item"}},
               "S": {"type": "string"}},
    "operations": {"DescribeThings": {"name": "DescribeThings", "output": {"shape": "Out"}}}})");
  HttpResponse out;
  out.headers.set("x-amzn-RequestId", "r1");
  ec2_codec().serialize_response(*model, *model->find_operation("DescribeThings"),
                                 Document{{"Ids", Array{"a", "b"}}}, out);
  EXPECT_EQ(out.body,
            "<DescribeThingsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
            "<requestId>r1</requestId><idSet><item>a</item><item>b</item></idSet>"
            "</DescribeThingsResponse>");
  HttpResponse err;
  ec2_codec().serialize_error(*model, nullptr, AwsError("InvalidID", "bad"), "r2", err);
  EXPECT_EQ(err.body,
            "<Response><Errors><Error><Code>InvalidID</Code><Message>bad</Message></Error>"
            "</Errors><RequestID>r2</RequestID></Response>");
}

TEST(RestXmlCodec, PutObjectLeavesStreamingBodyAndReadsMetadata) {
  auto model = ServiceModel::load(kRestModel);
  HttpRequest req;
  req.method = "PUT";
  req.path = "/bucket/dir/a%20b.txt";
  req.headers.add("x-amz-meta-Color", "blue");
  req.headers.add("Content-Length", "3");
  req.headers.add("Expires", "Tue, 29 Apr 2014 18:30:38 GMT");
  req.body.data = "abc";
  req.body.size = 3;
  auto doc = rest_xml_codec().parse_request(*model, *model->find_operation("PutObject"), req);
  EXPECT_EQ(to_json(doc),
            R"({"Bucket":"bucket","Key":"dir/a b.txt","Metadata":{"color":"blue"},)"
            R"("ContentLength":3,"Expires":1398796238})");
}

TEST(RestXmlCodec, StreamingOutputKeepsHandlerBody) {
  auto model = ServiceModel::load(kRestModel);
  HttpResponse out;
  out.file_path = "/tmp/blob";
  out.body = "";
  rest_xml_codec().serialize_response(
      *model, *model->find_operation("GetObject"),
      Document{{"ETag", "\"e\""}, {"Metadata", Document{{"color", "blue"}}}}, out);
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.file_path, "/tmp/blob");
  EXPECT_EQ(out.headers.value("ETag"), "\"e\"");
  EXPECT_EQ(out.headers.value("x-amz-meta-color"), "blue");
}

TEST(RestXmlCodec, BodyMembersInRootElement) {
  auto model = ServiceModel::load(kRestModel);
  HttpResponse out;
  rest_xml_codec().serialize_response(
      *model, *model->find_operation("ListObjects"),
      Document{{"Name", "b"}, {"Contents", Array{Document{{"Key", "k"}, {"LastModified", 0}}}}},
      out);
  EXPECT_EQ(out.headers.value("Content-Type"), "application/xml");
  EXPECT_EQ(out.body,
            "<ListOut><Name>b</Name><Contents><Key>k</Key>"
            "<LastModified>1970-01-01T00:00:00Z</LastModified></Contents></ListOut>");
}

TEST(RestXmlCodec, S3StyleErrorsAndHeadWithoutBody) {
  auto model = ServiceModel::load(kRestModel);
  HttpResponse out;
  AwsError e("NoSuchBucket", "The specified bucket does not exist", 404);
  e.with("BucketName", "b");
  rest_xml_codec().serialize_error(*model, model->find_operation("GetObject"), e, "rid", out);
  EXPECT_EQ(out.status, 404);
  EXPECT_EQ(out.headers.value("Content-Type"), "application/xml");
  EXPECT_NE(out.body.find("<Error><Code>NoSuchBucket</Code><Message>The specified bucket does "
                          "not exist</Message><BucketName>b</BucketName><RequestId>rid"
                          "</RequestId><HostId></HostId></Error>"),
            std::string::npos)
      << out.body;
  HttpResponse head;
  rest_xml_codec().serialize_error(*model, model->find_operation("HeadObject"), e, "rid", head);
  EXPECT_EQ(head.status, 404);
  EXPECT_TRUE(head.body.empty());
}

TEST(RestXmlCodec, MalformedXmlIsAnAwsError) {
  auto model = ServiceModel::load(R"({"metadata": {"protocol": "rest-xml"},
    "shapes": {"In": {"type": "structure", "members": {"N": {"shape": "I"}, "S": {"shape": "S"}}},
               "I": {"type": "integer"}, "S": {"type": "string"}},
    "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                          "input": {"shape": "In", "locationName": "OpRequest"}}}})");
  const auto& op = *model->find_operation("Op");
  for (const std::string& body : std::vector<std::string>{"<OpRequest><N>1</N>", "<<>>", "<OpRequest><N>x</N></OpRequest>",
                           std::string("\0\xff\xfe<", 4)}) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/";
    req.body.data = body;
    req.body.size = body.size();
    try {
      rest_xml_codec().parse_request(*model, op, req);
      ADD_FAILURE() << "accepted " << body;
    } catch (const AwsError& e) {
      EXPECT_EQ(e.code, "MalformedXML");
      EXPECT_EQ(e.status, 400);
    }
  }
}

}  // namespace
}  // namespace nimbus::protocol
