#!/usr/bin/env python3
"""Check examples/corpus/gold.json against the corpus files (Python 3 standard library only).

Checks that gold.json parses; that every gold URL occurs in its file (at the given
entry for JSON Lines, feeds and WARC archives); that every article in every corpus
file has a gold entry; that parents exist and belong to the same story; that each
planted change is really there (`from`/`text` of dropped sentences in the parent,
`to`/`text` of added sentences in the child); and that the recorded 5-shingle
Jaccard values match the texts. Prints a summary; exits 1 on any error.

    python3 scripts/check-example-gold.py [examples/corpus]
"""
import collections
import gzip
import html
import html.parser
import io
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'examples', 'corpus')
errors = []
warnings = []


def err(msg):
    errors.append(msg)


def norm(s):
    s = unicodedata.normalize('NFKC', html.unescape(s))
    s = s.replace('\u201c', '"').replace('\u201d', '"').replace('\u2018', "'").replace('\u2019', "'")
    return re.sub(r'\s+', ' ', s).strip()


def shingles(text, n=5):
    words = re.findall(r"[\w'’-]+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a, b):
    A, B = shingles(a), shingles(b)
    return len(A & B) / len(A | B) if A | B else 0.0


class ArticleText(html.parser.HTMLParser):
    """Paragraph text inside <article> (or the whole fragment when there is none),
    skipping the article's own <header>, <figure>, <aside> and <footer>; also the canonical link."""

    SKIP = {'header', 'figure', 'aside', 'footer', 'nav', 'script', 'style'}

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.in_article = 0
        self.skip = 0
        self.in_p = False
        self.buf = []
        self.paras = []
        self.canonical = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'link' and a.get('rel') == 'canonical':
            self.canonical = a.get('href')
        if tag == 'article':
            self.in_article += 1
        elif (self.in_article or self.fragment) and tag in self.SKIP:
            self.skip += 1
        elif tag == 'p' and (self.in_article or self.fragment) and not self.skip:
            self.in_p = True
            self.buf = []

    def handle_endtag(self, tag):
        if tag == 'article':
            self.in_article -= 1
        elif (self.in_article or self.fragment) and tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == 'p' and self.in_p:
            self.in_p = False
            self.paras.append(''.join(self.buf).strip())

    def handle_data(self, data):
        if self.in_p:
            self.buf.append(data)


def html_article(src, fragment=False):
    p = ArticleText(fragment or '<article' not in src)
    p.feed(src)
    return p.canonical, '\n\n'.join(x for x in p.paras if x)


def read_text(raw, name):
    text = raw.decode('utf-8')
    hdr = {}
    lines = text.split('\n')
    i = 0
    while i < len(lines) and re.match(r'^[A-Za-z][A-Za-z -]{0,23}:\s+\S', lines[i]):
        k, v = lines[i].split(':', 1)
        hdr[k.strip().lower()] = v.strip()
        i += 1
    body = '\n'.join(lines[i:]).strip() if hdr else text.strip()
    if name.endswith('.md') and body.startswith('# '):
        body = body.split('\n', 1)[1].strip()
    return [{'url': hdr.get('url'), 'text': body, 'date': hdr.get('date'), 'entry': None}]


def read_jsonl(raw):
    out = []
    for n, line in enumerate(raw.decode('utf-8').splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        if 'text' in rec:
            text = rec['text']
        else:
            _, text = html_article(rec['html'])
        out.append({'url': rec['url'], 'text': text, 'date': rec.get('published'), 'entry': n})
    return out


def read_rss(raw):
    ns = {'content': 'http://purl.org/rss/1.0/modules/content/', 'dc': 'http://purl.org/dc/elements/1.1/'}
    root = ET.fromstring(raw)
    out = []
    for n, item in enumerate(root.iter('item'), 1):
        content = item.find('content:encoded', ns).text
        _, text = html_article(content, fragment=True)
        out.append({'url': item.findtext('link'), 'text': text, 'date': item.findtext('pubDate'), 'entry': n})
    return out


def read_warc(raw):
    data = gzip.decompress(raw)  # concatenated members decompress as one stream
    pos = 0
    out = []
    n = 0
    while pos < len(data):
        end = data.index(b'\r\n\r\n', pos)
        head = data[pos:end].decode('utf-8').split('\r\n')
        assert head[0].startswith('WARC/'), head[0]
        h = {}
        for line in head[1:]:
            k, v = line.split(':', 1)
            h[k.strip().lower()] = v.strip()
        length = int(h['content-length'])
        block = data[end + 4:end + 4 + length]
        assert data[end + 4 + length:end + 8 + length] == b'\r\n\r\n', 'bad record end / Content-Length'
        pos = end + 8 + length
        if h['warc-type'] != 'response':
            continue
        hend = block.index(b'\r\n\r\n')
        http = block[:hend].decode('latin-1').split('\r\n')
        status = int(http[0].split()[1])
        hh = {k.strip().lower(): v.strip() for k, v in (l.split(':', 1) for l in http[1:])}
        body = block[hend + 4:]
        if 'content-length' in hh:
            assert int(hh['content-length']) == len(body), 'bad HTTP Content-Length'
        if status != 200 or not hh.get('content-type', '').startswith('text/html'):
            continue
        n += 1
        canonical, text = html_article(body.decode('utf-8'))
        out.append({'url': h['warc-target-uri'], 'text': text, 'date': None, 'entry': n, 'canonical': canonical})
    return out


def read_file(path):
    raw = open(path, 'rb').read()
    name = path
    if name.endswith('.gz') and not name.endswith('.warc.gz'):
        raw = gzip.decompress(raw)
        name = name[:-3]
    if name.endswith('.warc.gz'):
        return read_warc(raw)
    if name.endswith(('.txt', '.md')):
        return read_text(raw, name)
    if name.endswith('.jsonl'):
        return read_jsonl(raw)
    if name.endswith(('.rss', '.xml')):
        return read_rss(raw)
    if name.endswith(('.html', '.htm')):
        canonical, text = html_article(raw.decode('utf-8'))
        return [{'url': canonical, 'text': text, 'date': None, 'entry': None}]
    raise ValueError(f'unknown format: {path}')


def main():
    gold = json.load(open(os.path.join(CORPUS, 'gold.json'), encoding='utf-8'))
    if gold.get('schema') != 'retold-gold/1':
        err('schema is not retold-gold/1')
    stories = {s['id']: s for s in gold['stories']}
    arts = gold['articles']
    by_url = {}
    for a in arts:
        if a['url'] in by_url:
            err(f'duplicate gold url {a["url"]}')
        by_url[a['url']] = a

    # read every corpus file
    found = {}
    files = []
    for dirpath, _, names in os.walk(CORPUS):
        for nm in sorted(names):
            if nm == 'gold.json' or nm.startswith('README'):
                continue
            rel = os.path.relpath(os.path.join(dirpath, nm), CORPUS)
            files.append(rel)
            for item in read_file(os.path.join(CORPUS, rel)):
                if not item['url']:
                    err(f'{rel}: an article without URL')
                    continue
                found[(rel, item['url'])] = item
    texts = {}
    raw_texts = {}
    for a in arts:
        key = (a['file'], a['url'])
        if key not in found:
            err(f'gold url not found in its file: {a["file"]} {a["url"]}')
            continue
        item = found[key]
        if item['entry'] != a.get('entry'):
            err(f'{a["url"]}: entry {a.get("entry")} but found at {item["entry"]}')
        if item.get('canonical') and item['canonical'] != a['url']:
            err(f'{a["url"]}: canonical link {item["canonical"]} differs')
        texts[a['url']] = norm(item['text'])
        raw_texts[a['url']] = item['text']
    for (rel, url) in found:
        if url not in by_url or by_url[url]['file'] != rel:
            err(f'article without gold entry: {rel} {url}')

    # structure
    for a in arts:
        if a['story'] not in stories:
            err(f'{a["url"]}: unknown story {a["story"]}')
        role, rel = a['role'], a['relation']
        ok = {'origin': (None,), 'unrelated': (None,), 'independent': ('same_story',),
              'derived': ('duplicate', 'copy', 'rewrite', 'spun', 'excerpt', 'translated')}
        if role not in ok or rel not in ok[role]:
            err(f'{a["url"]}: bad role/relation {role}/{rel}')
        if role == 'derived':
            p = by_url.get(a['parent'])
            if not p:
                err(f'{a["url"]}: parent missing {a["parent"]}')
            elif p['story'] != a['story']:
                err(f'{a["url"]}: parent in another story')
        elif a.get('parent'):
            err(f'{a["url"]}: only derived versions have parents')
        if a['published'] is not None and not re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', a['published']):
            err(f'{a["url"]}: published not ISO UTC: {a["published"]}')
    for s in stories.values():
        o = by_url.get(s['origin'])
        if not o or o['story'] != s['id'] or o['role'] not in ('origin', 'unrelated'):
            err(f'story {s["id"]}: origin {s["origin"]} is not its origin article')

    # planted changes
    for a in arts:
        if a['role'] != 'derived' or a['url'] not in texts or a['parent'] not in texts:
            continue
        child, parent = texts[a['url']], texts[a['parent']]
        for c in a.get('changes', []):
            k = c['kind']
            if 'text' in c:
                t = norm(c['text'])
                where = {'sentence_added': [child], 'sentence_dropped': [parent],
                         'sentences_reordered': [parent, child]}.get(k, [child])
                for w in where:
                    if t not in w:
                        err(f'{a["url"]}: {k} text not found: {c["text"][:60]}')
                if k == 'sentence_added' and t in parent:
                    err(f'{a["url"]}: added sentence already in parent: {c["text"][:60]}')
                if k == 'sentence_dropped' and t in child:
                    err(f'{a["url"]}: dropped sentence still in child: {c["text"][:60]}')
            else:
                if norm(c['from']) not in parent:
                    err(f'{a["url"]}: {k} from not in parent: {c["from"]}')
                if norm(c['to']) not in child:
                    err(f'{a["url"]}: {k} to not in child: {c["to"]}')
        if a['relation'] in ('spun', 'rewrite'):
            j = jaccard(parent, child)
            if abs(j - a.get('shingle5_jaccard', -1)) > 0.002:
                err(f'{a["url"]}: shingle5_jaccard {a.get("shingle5_jaccard")} but measured {j:.4f}')
        if a['relation'] in ('duplicate', 'excerpt'):
            paras = [norm(x) for x in raw_texts[a['relation'] == 'duplicate' and a['parent'] or a['url']].split('\n\n')]
            other = child if a['relation'] == 'duplicate' else parent
            missing = [x for x in paras if x and x not in other and not any(
                norm(c.get('text', '')) == x for c in a.get('changes', []))]
            if missing:
                err(f'{a["url"]}: {a["relation"]} paragraph not in the other text: {missing[0][:60]}')
        if a.get('attribution') and norm(a['attribution']) not in child:
            err(f'{a["url"]}: attribution text not found')

    # length guidance
    for a in arts:
        if a['url'] not in texts:
            continue
        w = len(texts[a['url']].split())
        if a['role'] == 'origin' and not 450 <= w <= 700:
            warnings.append(f'origin {a["url"]} has {w} words')
        if a['role'] == 'unrelated':
            lo, hi = (150, 300) if a.get('language', 'en') != 'en' else (250, 500)
            if not lo <= w <= hi:
                warnings.append(f'unrelated {a["url"]} has {w} words')

    # summary
    print(f'{len(files)} files, {len(arts)} articles, {len(stories)} stories')
    count = collections.Counter((a['story'], a['role'], a['relation']) for a in arts)
    for s in stories:
        parts = [f'{r}{"/" + rel if rel else ""}:{n}' for (st, r, rel), n in sorted(count.items(), key=str) if st == s]
        print(f'  {s}: ' + ', '.join(parts))
    for a in arts:
        if 'shingle5_jaccard' in a:
            print(f'  {a["relation"]:8} {a["shingle5_jaccard"]:.4f}  {a["url"]}')
    for w in warnings:
        print('warning:', w)
    for e in errors:
        print('ERROR:', e)
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
