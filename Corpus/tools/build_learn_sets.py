#!/usr/bin/env python3
"""Copies the public labelled sets that `scamscan learn` trains on into Corpus/, in one plain shape.

Writes (byte-identical on every run):
  Corpus/learn/youtube-{psy,katyperry,lmfao}.tsv   label<TAB>text   (spam | ham)
  Corpus/learn/janitr-crypto.tsv                  label<TAB>text   (scam | ham)
  Corpus/learn/sms.tsv                            label<TAB>text   (spam | ham)
  Corpus/ordinary/rechat-<vod>.tsv                timestamp<TAB>channel<TAB>user<TAB>message (all ordinary chat)
  Corpus/ordinary/copypasta-<name>.txt            one message a line (all ordinary chat)

Sources (see Corpus/README.md for licences; the licence files are in Corpus/licenses/):
  $SCAMSCAN_DATA (default /work/shared/data)/
    youtube-spam-collection/Youtube0{1-Psy,2-KatyPerry,3-LMFAO}.csv   CC BY 4.0, Alberto, Lochter & Almeida 2015
    janitr-crypto-scam/sample.jsonl                                 MIT, (c) 2026 Janitr
    sms-spam-collection/SMSSpamCollection                           CC BY 4.0, Almeida, Gomez Hidalgo & Yamakami 2011
    twitch-nlss-rechat/raw/rechat-*.json                            MIT, (c) 2017 Andrew Ryan
    twitch-sgdq2017-copypasta/pasta_*.txt                           MIT, (c) 2016 dekuNukem

Text is copied as written, except that tabs and line breaks become one space and a U+FEFF is
dropped (the formats hold one message per line). Rows whose text is then empty are left out.
Janitr's multi-label rows are collapsed with its own 3-class rule (UPSTREAM_LABELS.md): any label
of the scam bucket makes the row `scam`; topic_crypto and clean rows are `ham`.

Run:  python3 Corpus/tools/build_learn_sets.py
"""
import csv, json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
DATA = os.environ.get('SCAMSCAN_DATA', '/work/shared/data')

SCAM_BUCKET = {'scam', 'phishing', 'malware', 'fake_support', 'recovery_scam', 'job_scam', 'romance_scam',
               'impersonation', 'account_compromise', 'spam', 'reply_spam', 'dm_spam', 'promo', 'affiliate',
               'lead_gen', 'engagement_bait', 'follow_train', 'giveaway', 'bot'}


def clean(s):
    s = s.replace('\ufeff', '')
    s = re.sub(r'[\t\r\n\u2028\u2029\x0b\x0c\x85]+', ' ', s)
    return s.strip()


def write(path, header, rows):
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write('\t'.join(header) + '\n')
        for r in rows:
            f.write('\t'.join(r) + '\n')
    print(f'{os.path.relpath(path, os.path.dirname(CORPUS))}: {len(rows)} rows')


def labelled(rows):
    return [(l, t) for l, t in rows if t]


def youtube():
    for src, name in [('Youtube01-Psy.csv', 'psy'), ('Youtube02-KatyPerry.csv', 'katyperry'),
                      ('Youtube03-LMFAO.csv', 'lmfao')]:
        with open(os.path.join(DATA, 'youtube-spam-collection', src), encoding='utf-8', newline='') as f:
            rows = [('spam' if r['label'].strip() == '1' else 'ham', clean(r['CONTENT'])) for r in csv.DictReader(f)]
        write(os.path.join(CORPUS, 'learn', f'youtube-{name}.tsv'), ['label', 'text'], labelled(rows))


def janitr():
    rows = []
    with open(os.path.join(DATA, 'janitr-crypto-scam', 'sample.jsonl'), encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            rows.append(('scam' if SCAM_BUCKET & set(r.get('labels') or []) else 'ham', clean(r.get('text') or '')))
    write(os.path.join(CORPUS, 'learn', 'janitr-crypto.tsv'), ['label', 'text'], labelled(rows))


def sms():
    rows = []
    with open(os.path.join(DATA, 'sms-spam-collection', 'SMSSpamCollection'), encoding='utf-8') as f:
        for line in f:
            label, _, text = line.rstrip('\n').partition('\t')
            rows.append((label, clean(text)))
    write(os.path.join(CORPUS, 'learn', 'sms.tsv'), ['label', 'text'], labelled(rows))


def rechat():
    folder = os.path.join(DATA, 'twitch-nlss-rechat', 'raw')
    for name in sorted(os.listdir(folder)):
        d = json.load(open(os.path.join(folder, name), encoding='utf-8'))
        meta, comments = d[0], d[1:]
        channel = clean(((meta.get('channel') or {}).get('name')) or 'northernlion')
        rows = []
        for c in comments:
            body = clean(((c.get('message') or {}).get('body')) or '')
            user = clean(((c.get('commenter') or {}).get('name')) or '')
            ts = c.get('created_at') or ''
            if body and user and ts:
                rows.append((ts, channel, user, body))
        if rows:
            vod = name.removeprefix('rechat-').removesuffix('.json')
            write(os.path.join(CORPUS, 'ordinary', f'rechat-{vod}.tsv'), ['timestamp', 'channel', 'user', 'message'], rows)


def copypasta():
    folder = os.path.join(DATA, 'twitch-sgdq2017-copypasta')
    for src, name in [('pasta_text_gamesdonequick.txt', 'gamesdonequick'), ('pasta_text_nosub.txt', 'nosub'),
                      ('pasta_unicode_gamesdonequick.txt', 'unicode-gamesdonequick')]:
        with open(os.path.join(folder, src), encoding='utf-8', errors='strict') as f:
            lines = [clean(l) for l in f]
        lines = [l for l in lines if l]
        path = os.path.join(CORPUS, 'ordinary', f'copypasta-{name}.txt')
        with open(path, 'w', encoding='utf-8', newline='\n') as out:
            out.write(''.join(l + '\n' for l in lines))
        print(f'Corpus/ordinary/copypasta-{name}.txt: {len(lines)} lines')


if __name__ == '__main__':
    youtube(); janitr(); sms(); rechat(); copypasta()
