// What Linear does to a Markdown description: it keeps rich text, and the Markdown it hands back
// is serialised from that document, not the text sent. Tools that sync Markdown into Linear
// report list markers, escapes, emphasis and link syntax, blank lines and the trailing newline
// changing on the way; this models those rewritings the way a rich-text editor's Markdown
// serialiser makes them. The result is stable: serialising it again changes nothing.
'use strict';

// Plain text, outside code spans and link destinations: emphasis in the serialiser's spelling
// (asterisks), needless escapes dropped, and the escapes it adds (an underscore inside a word,
// a bracket that opens no link).
function plain(s) {
  return s
    .replace(/\\([.\-!#+()>])/g, '$1')
    .replace(/(?<![\w\\])__([^_\s](?:[^_]*[^_\s])?)__(?!\w)/g, '**$1**')
    .replace(/(?<![\w\\])_([^_\s](?:[^_]*[^_\s])?)_(?!\w)/g, '*$1*')
    .replace(/(?<=\w)_(?=\w)/g, '\\_')
    .replace(/(?<!\\)([[\]])/g, '\\$1');
}

// One line of inline text: autolinks become links, code spans and link destinations are kept.
function inline(text) {
  const re = /(`[^`]*`)|\[([^\]]*)\]\(([^)\s]*)\)/g;
  const src = text.replace(/<((?:https?|mailto):[^>\s]+)>/g, '[$1]($1)');
  let out = '';
  let last = 0;
  let m;
  while ((m = re.exec(src))) {
    out += plain(src.slice(last, m.index));
    out += m[1] ? m[1] : `[${plain(m[2])}](${m[3]})`;
    last = re.lastIndex;
  }
  return out + plain(src.slice(last));
}

function reserialize(markdown) {
  if (markdown == null) return markdown;
  const out = [];
  let blank = false;
  let fence = null;
  for (let line of String(markdown).replace(/\r\n?/g, '\n').split('\n')) {
    if (fence) {
      out.push(line);
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    const opens = /^\s*(```|~~~)/.exec(line);
    if (opens) {
      if (blank) out.push('');
      out.push(line.replace(/^\s*~~~/, '```'));
      fence = opens[1];
      blank = false;
      continue;
    }
    line = line.replace(/\s+$/, '');
    if (!line) {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    blank = false;
    const item = /^(\s*)(?:[*+-]|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item && !/^(\s*)([*-])(\s*\2){2,}\s*$/.test(line)) {
      const marker = item[2] != null ? `${item[2]}.` : '-';
      out.push(`${item[1]}${marker} ${inline(item[3])}`);
    } else if (/^\s*([*_-])(\s*\1){2,}\s*$/.test(line)) {
      out.push('---');
    } else {
      out.push(inline(line));
    }
  }
  return out.join('\n');
}

module.exports = { reserialize };
