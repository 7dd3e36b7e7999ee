#!/usr/bin/env python3
"""Decodes a SelectObjectContent response body the way boto3 does and prints the events as
JSON: botocore's EventStreamBuffer checks the prelude and message CRCs, and EventStream with
the S3 model's output shape parses each event (Records, Stats, Progress, Cont, End) or raises
the error event as boto3 would."""
import json
import sys

import botocore.session
from botocore.eventstream import EventStream, EventStreamBuffer
from botocore.exceptions import EventStreamError
from botocore.parsers import EventStreamXMLParser


class _Raw:
    def __init__(self, data):
        self._data = data

    def stream(self):
        # Feed in odd-sized pieces so messages straddle reads, as they do on a socket.
        for i in range(0, len(self._data), 1000):
            yield self._data[i:i + 1000]

    def close(self):
        pass


def main():
    data = open(sys.argv[1], 'rb').read()
    raw_messages = []
    buf = EventStreamBuffer()
    buf.add_data(data)
    for message in buf:
        raw_messages.append({k: v for k, v in message.headers.items()})
    model = botocore.session.get_session().get_service_model('s3')
    shape = model.operation_model('SelectObjectContent').output_shape.members['Payload']
    events, error = [], None
    try:
        for event in EventStream(_Raw(data), shape, EventStreamXMLParser(), 'SelectObjectContent'):
            name = next(iter(event))
            body = event[name]
            if name == 'Records':
                body = {'Payload': body['Payload'].decode('utf-8')}
            events.append({name: body})
    except EventStreamError as e:
        error = {'Code': e.response['Error']['Code'], 'Message': e.response['Error']['Message']}
    print(json.dumps({'headers': raw_messages, 'events': events, 'error': error}))


if __name__ == '__main__':
    main()
