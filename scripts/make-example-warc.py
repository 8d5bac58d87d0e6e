#!/usr/bin/env python3
"""Build examples/corpus/crawl/crawl.warc.gz from the files in examples/warc-src/.

The pages live outside examples/corpus so that the corpus reader does not see
them twice. examples/warc-src/manifest.json lists the records in order:

    {"warc": "examples/corpus/crawl/crawl.warc.gz",
     "records": [{"file": "page.html", "url": "https://…", "status": 200,
                  "content_type": "text/html; charset=utf-8",
                  "crawled": "2026-04-03T02:11:04Z"}, …]}

For every entry the script writes a `request` record and a `response` record
(`application/http; msgtype=response`: status line, HTTP headers, body), after
one leading `warcinfo` record. Each record is its own gzip member, as in any
standard .warc.gz. The output is deterministic: gzip mtime 0 and no file name,
record ids derived from the URL (UUID v5), dates taken from the manifest.

Python 3 standard library only. Usage (from anywhere):

    python3 scripts/make-example-warc.py
"""
import base64
import datetime
import gzip
import hashlib
import io
import json
import os
import sys
import uuid
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, 'examples', 'warc-src')
NAMESPACE = uuid.UUID('5d2f3c1e-7a44-4e1b-9c1f-2b6e0a7f4d10')
REASONS = {200: 'OK', 301: 'Moved Permanently', 404: 'Not Found', 410: 'Gone', 500: 'Internal Server Error'}
USER_AGENT = 'retold-example-crawler/1.0 (+https://crawler.retold.example/)'


def record_id(*parts):
    return f'<urn:uuid:{uuid.uuid5(NAMESPACE, "|".join(parts))}>'


def sha1(data):
    return 'sha1:' + base64.b32encode(hashlib.sha1(data).digest()).decode('ascii')


def http_date(iso):
    d = datetime.datetime.strptime(iso, '%Y-%m-%dT%H:%M:%SZ')
    return d.strftime('%a, %d %b %Y %H:%M:%S GMT')


def warc_record(headers, block):
    """One WARC record (headers as (name, value) pairs), gzipped on its own."""
    head = 'WARC/1.0\r\n'
    head += ''.join(f'{k}: {v}\r\n' for k, v in headers)
    head += f'Content-Length: {len(block)}\r\n\r\n'
    raw = head.encode('utf-8') + block + b'\r\n\r\n'
    buf = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(raw)
    return buf.getvalue()


def main():
    with open(os.path.join(SRC, 'manifest.json'), encoding='utf-8') as f:
        manifest = json.load(f)
    out_path = os.path.join(ROOT, manifest['warc'])
    records = manifest['records']
    warc_name = os.path.basename(out_path)

    info_id = record_id('warcinfo', warc_name)
    info = (
        'software: make-example-warc.py (retold example corpus)\r\n'
        'format: WARC File Format 1.0\r\n'
        'conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/\r\n'
        'isPartOf: retold-example-crawl\r\n'
        'description: Invented news pages for the retold example corpus. All outlets, people and events are fictional.\r\n'
        f'http-header-user-agent: {USER_AGENT}\r\n'
        'robots: obey\r\n'
    ).encode('utf-8')
    chunks = [warc_record([
        ('WARC-Type', 'warcinfo'),
        ('WARC-Record-ID', info_id),
        ('WARC-Date', records[0]['crawled']),
        ('WARC-Filename', warc_name),
        ('Content-Type', 'application/warc-fields'),
    ], info)]

    for i, rec in enumerate(records):
        url = rec['url']
        parts = urlsplit(url)
        path = parts.path or '/'
        if parts.query:
            path += '?' + parts.query
        with open(os.path.join(SRC, rec['file']), 'rb') as f:
            body = f.read()
        status = rec.get('status', 200)
        date = rec['crawled']
        ip = f'192.0.2.{10 + i}'

        req_id = record_id('request', url)
        resp_id = record_id('response', url)
        request = (
            f'GET {path} HTTP/1.1\r\n'
            f'Host: {parts.netloc}\r\n'
            f'User-Agent: {USER_AGENT}\r\n'
            'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n'
            'Accept-Encoding: identity\r\n'
            'Connection: close\r\n\r\n'
        ).encode('utf-8')
        chunks.append(warc_record([
            ('WARC-Type', 'request'),
            ('WARC-Record-ID', req_id),
            ('WARC-Date', date),
            ('WARC-Target-URI', url),
            ('WARC-Concurrent-To', resp_id),
            ('WARC-Warcinfo-ID', info_id),
            ('WARC-Block-Digest', sha1(request)),
            ('Content-Type', 'application/http; msgtype=request'),
        ], request))

        http_head = (
            f'HTTP/1.1 {status} {REASONS.get(status, "Unknown")}\r\n'
            f'Date: {http_date(date)}\r\n'
            'Server: nginx\r\n'
            f'Content-Type: {rec["content_type"]}\r\n'
            f'Content-Length: {len(body)}\r\n'
            'Cache-Control: max-age=300\r\n'
            'Connection: close\r\n\r\n'
        ).encode('utf-8')
        block = http_head + body
        chunks.append(warc_record([
            ('WARC-Type', 'response'),
            ('WARC-Record-ID', resp_id),
            ('WARC-Date', date),
            ('WARC-Target-URI', url),
            ('WARC-IP-Address', ip),
            ('WARC-Warcinfo-ID', info_id),
            ('WARC-Payload-Digest', sha1(body)),
            ('WARC-Block-Digest', sha1(block)),
            ('Content-Type', 'application/http; msgtype=response'),
        ], block))

    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, 'wb') as f:
        f.write(b''.join(chunks))
    print(f'wrote {os.path.relpath(out_path, ROOT)}: {1 + 2 * len(records)} records', file=sys.stderr)


if __name__ == '__main__':
    main()
