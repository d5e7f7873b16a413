// The fake Jira's JQL: a parser and evaluator for the subset the fake models, and a 400 in
// Jira's words for the rest, so no clause is ever silently ignored.
//
//   query   := [or] [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]      (at most 7 fields)
//   or      := and {OR and}          and := unary {AND unary}
//   unary   := NOT unary | ( or ) | field op value
//   op      := = | != | ~ | !~ | < | <= | > | >= | IN | NOT IN | IS [NOT] (EMPTY|NULL)
//   value   := "string" | 'string' | word | currentUser() | EMPTY | NULL | ( value {, value} )
//
// Fields: project, key/issuekey/id, summary (~ only), labels, status, statusCategory,
// resolution (and "Unresolved"), assignee, reporter, priority, issuetype/type, and the dates
// duedate/due, created, updated, resolutiondate/resolved (yyyy-mm-dd or yyyy/mm/dd, or a
// relative -Nd, -Nw, -Nh, -Nm). Names, keywords and values of named things compare without
// case. Other Jira fields, functions, WAS/CHANGED history clauses, cf[...] and
// issue.property[...] are refused as not modelled; names Jira would not know get Jira's own
// "does not exist" error.
'use strict';
const { messageError } = require('./jira-fake-fields');

const RESERVED = '+.,;?|*/%^$#@[]';
const KEYWORDS = ['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc', 'was', 'changed'];
const ALIASES = {
  issuekey: 'key', id: 'key', type: 'issuetype', due: 'duedate', createddate: 'created', updateddate: 'updated',
  resolved: 'resolutiondate', statuscategory: 'statuscategory',
};
const FIELDS = {
  project: ['=', '!=', 'in', 'not in'],
  key: ['=', '!=', 'in', 'not in'],
  summary: ['~', '!~'],
  labels: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  status: ['=', '!=', 'in', 'not in'],
  statuscategory: ['=', '!=', 'in', 'not in'],
  resolution: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  assignee: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  reporter: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  priority: ['=', '!=', 'in', 'not in'],
  issuetype: ['=', '!=', 'in', 'not in'],
  duedate: ['=', '!=', '<', '<=', '>', '>=', 'is', 'is not'],
  created: ['=', '!=', '<', '<=', '>', '>='],
  updated: ['=', '!=', '<', '<=', '>', '>='],
  resolutiondate: ['=', '!=', '<', '<=', '>', '>=', 'is', 'is not'],
};
// Jira fields the fake knows of but does not model: refused rather than guessed at.
const UNMODELLED = ['text', 'description', 'comment', 'component', 'fixversion', 'affectedversion', 'sprint', 'parent',
  'environment', 'creator', 'watcher', 'voter', 'filter', 'attachments', 'issuelink', 'labels~', 'worklogdate',
  'lastviewed', 'level', 'originalestimate', 'remainingestimate', 'timespent', 'votes', 'watchers', 'epic link'];
const SORTABLE = {
  key: (i) => [i.projectId.padStart(10, '0'), Number(i.key.split('-')[1])], created: (i) => i.created,
  updated: (i) => i.updated, duedate: (i) => i.duedate, summary: (i) => i.summary.toLowerCase(),
  project: (i) => i.projectId, resolutiondate: (i) => i.resolutiondate, priority: (i) => -Number(i.priority),
  status: (i) => i.status, issuetype: (i) => i.issuetype,
};
const MAX_ORDER = 7;

function jqlError(message, pos) {
  return messageError(400, pos == null ? message : `Error in the JQL Query: ${message} (line 1, character ${pos + 1})`);
}
const notModelled = (what, pos) => jqlError(`${what} is valid JQL that this fake does not model.`, pos);

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i++];
      }
      if (i >= text.length) throw jqlError(`The quoted string ${c}${s} has not been completed.`, start);
      i++;
      tokens.push({ t: 'str', v: s, pos: start });
      continue;
    }
    const op = /^(!=|<=|>=|!~|=|<|>|~|\(|\)|,)/.exec(text.slice(i));
    if (op) {
      tokens.push({ t: 'op', v: op[1], pos: start });
      i += op[1].length;
      continue;
    }
    while (i < text.length && !/[\s"'=!<>~(),]/.test(text[i])) i++;
    if (i === start) throw jqlError(`The character '${c}' is a reserved JQL character. You must enclose it in a string.`, start);
    tokens.push({ t: 'word', v: text.slice(start, i), pos: start });
  }
  return tokens;
}

class Parser {
  constructor(text, site, options) {
    this.text = text;
    this.options = options;
    this.tokens = tokenize(text);
    this.i = 0;
    this.site = site;
  }

  peek() {
    return this.tokens[this.i];
  }

  isWord(word, t = this.peek()) {
    return t && t.t === 'word' && t.v.toLowerCase() === word;
  }

  next() {
    return this.tokens[this.i++];
  }

  describe(t) {
    return t ? `'${t.v}'` : 'the end of the query';
  }

  pos(t) {
    return t ? t.pos : this.text.length;
  }

  expect(what, t) {
    return jqlError(`Expecting ${what} but got ${this.describe(t)}.`, this.pos(t));
  }

  parseQuery() {
    let where = null;
    if (this.peek() && !this.isWord('order')) where = this.parseOr();
    const order = [];
    if (this.isWord('order')) {
      this.next();
      if (!this.isWord('by')) throw this.expect("'by'", this.peek());
      this.next();
      do {
        if (order.length) this.next();
        const t = this.next();
        if (!t || t.t === 'op') throw this.expect('a field name', t);
        const name = this.fieldName(t);
        if (!SORTABLE[name]) {
          if (FIELDS[name]) throw jqlError(`Field '${t.v}' does not support sorting.`);
          throw jqlError(`Not able to sort using field '${t.v}'.`);
        }
        let desc = false;
        if (this.isWord('asc') || this.isWord('desc')) desc = this.next().v.toLowerCase() === 'desc';
        order.push({ field: name, desc });
      } while (this.peek() && this.peek().v === ',');
      if (order.length > MAX_ORDER) throw jqlError(`The ORDER BY clause can contain at most ${MAX_ORDER} fields.`);
    }
    if (this.peek()) throw this.expect("either 'OR' or 'AND'", this.peek());
    return { where, order };
  }

  parseOr() {
    const parts = [this.parseAnd()];
    while (this.isWord('or')) {
      this.next();
      parts.push(this.parseAnd());
    }
    return parts.length === 1 ? parts[0] : (v) => parts.some((p) => p(v));
  }

  parseAnd() {
    const parts = [this.parseUnary()];
    while (this.isWord('and')) {
      this.next();
      parts.push(this.parseUnary());
    }
    return parts.length === 1 ? parts[0] : (v) => parts.every((p) => p(v));
  }

  parseUnary() {
    const t = this.peek();
    if (this.isWord('not')) {
      this.next();
      const inner = this.parseUnary();
      return (v) => !inner(v);
    }
    if (t && t.v === '(' && t.t === 'op') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (!close || close.v !== ')') throw this.expect("')'", close);
      return inner;
    }
    return this.parseClause();
  }

  fieldName(t) {
    const raw = t.v.toLowerCase();
    if (/^(cf\[|issue\.property\[|customfield_)/.test(raw)) throw notModelled(`The field '${t.v}'`, t.pos);
    if (UNMODELLED.includes(raw)) throw notModelled(`The field '${t.v}'`, t.pos);
    const name = ALIASES[raw] || raw;
    if (!FIELDS[name]) {
      const custom = this.site.projects().some((p) => this.site.projectCustomFields(p).some((f) => f.name.toLowerCase() === raw));
      if (custom) throw notModelled(`The field '${t.v}'`, t.pos);
      throw jqlError(`Field '${t.v}' does not exist or you do not have permission to view it.`);
    }
    return name;
  }

  parseClause() {
    const ft = this.next();
    if (!ft || ft.t !== 'word' && ft.t !== 'str') throw this.expect('a field name', ft);
    if (ft.t === 'word' && KEYWORDS.includes(ft.v.toLowerCase())) throw this.expect('a field name', ft);
    const field = this.fieldName(ft);
    let op = this.next();
    if (!op) throw this.expect('operator', op);
    let opName = op.v.toLowerCase();
    if (op.t === 'word' && (opName === 'was' || opName === 'changed')) throw notModelled(`The operator '${op.v.toUpperCase()}'`, op.pos);
    if (op.t === 'word' && opName === 'not') {
      if (!this.isWord('in')) throw this.expect("'IN'", this.peek());
      this.next();
      opName = 'not in';
    } else if (op.t === 'word' && opName === 'is') {
      if (this.isWord('not')) {
        this.next();
        opName = 'is not';
      }
    } else if (op.t !== 'op' && opName !== 'in') {
      throw this.expect("operator such as '=', '!=', '~', 'IN' or 'IS'", op);
    }
    if (!FIELDS[field].includes(opName)) {
      throw jqlError(`The operator '${opName.toUpperCase()}' is not supported by the '${ft.v}' field.`);
    }
    if (opName === 'is' || opName === 'is not') {
      const v = this.next();
      if (!v || !(this.isWord('empty', v) || this.isWord('null', v))) throw this.expect("'EMPTY' or 'NULL'", v);
      const empty = (view) => isEmpty(fieldValue(view, field));
      return opName === 'is' ? empty : (view) => !empty(view);
    }
    const list = opName === 'in' || opName === 'not in';
    const values = list ? this.parseList() : [this.parseValue()];
    return this.compile(field, ft.v, opName, values);
  }

  parseList() {
    const open = this.next();
    if (!open || open.v !== '(') throw this.expect("'('", open);
    const values = [this.parseValue()];
    while (this.peek() && this.peek().v === ',') {
      this.next();
      values.push(this.parseValue());
    }
    const close = this.next();
    if (!close || close.v !== ')') throw this.expect("')'", close);
    return values;
  }

  parseValue() {
    const t = this.next();
    if (!t || t.t === 'op') throw this.expect('either a value, list or function', t);
    if (t.t === 'str') return { v: t.v, pos: t.pos };
    const lower = t.v.toLowerCase();
    if (this.peek() && this.peek().v === '(' && this.peek().t === 'op') {
      this.next();
      const close = this.next();
      if (lower === 'currentuser' && close && close.v === ')') return { fn: 'currentUser', pos: t.pos };
      throw notModelled(`The function '${t.v}()'`, t.pos);
    }
    if (lower === 'empty' || lower === 'null') return { empty: true, pos: t.pos };
    if (KEYWORDS.includes(lower)) {
      throw jqlError(`Expecting either a value, list or function but got '${t.v}'. You must surround '${t.v}' in quotation marks to use it as a value.`, t.pos);
    }
    const bad = [...t.v].find((c) => RESERVED.includes(c));
    if (bad && !/^[-+]?\d+[wdhm]$/.test(t.v)) {
      throw jqlError(`The character '${bad}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${bad.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`, t.pos + t.v.indexOf(bad));
    }
    return { v: t.v, pos: t.pos };
  }

  // The stored value each JQL value names for `field`, or Jira's error for one that names
  // nothing (labels and summaries are free text).
  resolve(field, label, value) {
    if (value.empty) return null;
    if (value.fn === 'currentUser') {
      if (field !== 'assignee' && field !== 'reporter') throw jqlError(`Function 'currentUser' is not supported for the '${label}' field.`);
      return this.site.apiUser().accountId;
    }
    const s = value.v;
    const none = () => jqlError(`The value '${s}' does not exist for the field '${label}'.`);
    switch (field) {
      case 'project': {
        const p = this.site.project(s) || this.site.projects().find((x) => x.name.toLowerCase() === s.toLowerCase());
        if (!p) throw none();
        return p.id;
      }
      case 'key':
        if (!this.options.keyExists(s)) throw jqlError(`An issue with key '${s.toUpperCase()}' does not exist for field '${label}'.`);
        return s.toUpperCase();
      case 'status': {
        const st = this.site.status(s);
        if (!st) throw none();
        return st.id;
      }
      case 'statuscategory': {
        const c = this.site.categoryByName(s);
        if (!c) throw none();
        return c.key;
      }
      case 'resolution': {
        if (s.toLowerCase() === 'unresolved') return null;
        const r = this.site.resolution(s);
        if (!r) throw none();
        return r.id;
      }
      case 'assignee':
      case 'reporter': {
        const u = this.site.userByAccountId(s) || this.site.userByEmail(s) || (this.site.dc && this.site.userByName(s));
        if (!u) throw none();
        return u.accountId;
      }
      case 'priority': {
        const p = this.site.priority(s);
        if (!p) throw none();
        return p.id;
      }
      case 'issuetype': {
        const t = this.site.issueType(s);
        if (!t) throw none();
        return t.id;
      }
      case 'duedate': case 'created': case 'updated': case 'resolutiondate':
        return dateValue(s, field === 'duedate', value.pos);
      default: return s;
    }
  }

  compile(field, label, op, values) {
    const wanted = values.map((v) => this.resolve(field, label, v));
    if (field === 'summary') {
      const words = wanted.map((w) => String(w).toLowerCase().split(/\W+/).filter(Boolean));
      const has = (view) => words.every((ws) => ws.every((w) => view.summary.toLowerCase().split(/\W+/).includes(w)));
      return op === '~' ? has : (view) => !has(view);
    }
    if (['duedate', 'created', 'updated', 'resolutiondate'].includes(field)) {
      const [want] = wanted;
      return (view) => {
        const got = dateOf(fieldValue(view, field), field === 'duedate');
        if (got == null || want == null) return op === '=' ? got === want : op === '!=' ? got !== want : false;
        return { '=': got === want, '!=': got !== want, '<': got < want, '<=': got <= want, '>': got > want, '>=': got >= want }[op];
      };
    }
    const norm = (x) => (x == null ? null : String(x).toLowerCase());
    const set = wanted.map(norm);
    const hit = (view) => {
      const got = fieldValue(view, field);
      const gotList = Array.isArray(got) ? got.map(norm) : [norm(got)];
      return set.some((w) => (w == null ? isEmpty(got) : gotList.includes(w)));
    };
    if (op === '=' || op === 'in') return hit;
    // Like Jira, != and NOT IN never match an issue whose field is empty.
    return (view) => !isEmpty(fieldValue(view, field)) && !hit(view);
  }
}

function fieldValue(view, field) {
  switch (field) {
    case 'project': return view.projectId;
    case 'statuscategory': return view.statusCategory;
    case 'key': return [view.key, view.id];
    default: return view[field];
  }
}

function isEmpty(v) {
  return v == null || (Array.isArray(v) && v.length === 0);
}

// Dates compare as yyyy-mm-dd strings for duedate, as milliseconds for timestamps.
function dateValue(s, dayOnly, pos) {
  const rel = /^([-+]?)(\d+)([wdhm])$/.exec(s);
  if (rel) {
    const unit = { w: 604800000, d: 86400000, h: 3600000, m: 60000 }[rel[3]];
    const ms = Date.now() + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * unit;
    return dayOnly ? new Date(ms).toISOString().slice(0, 10) : ms;
  }
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(s);
  if (!m) {
    throw jqlError(`Date value '${s}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`, pos);
  }
  if (dayOnly) return `${m[1]}-${m[2]}-${m[3]}`;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0));
}

function dateOf(v, dayOnly) {
  if (v == null) return null;
  return dayOnly ? v : Number(v);
}

// Parses JQL (options.keyExists(key) tells whether an issue key or id exists); returns {where(view) or null, order, bounded} or throws Jira's 400. A view is
// an issue record with its status category key added.
function parseJql(text, site, options) {
  if (typeof text !== 'string') throw messageError(400, 'The JQL query must be a string.');
  const parsed = new Parser(text, site, options).parseQuery();
  const where = parsed.where;
  return {
    bounded: where != null,
    matches: (issue) => (where ? where({ ...issue, statusCategory: site.status(issue.status).category }) : true),
    order: parsed.order,
  };
}

// Sorts found issues by the ORDER BY fields; with none, newest first. Empty values last.
function sortIssues(issues, order) {
  const keys = order.length ? order : [{ field: 'key', desc: true }];
  const cmp = (a, b) => {
    for (const { field, desc } of keys) {
      let x = SORTABLE[field](a);
      let y = SORTABLE[field](b);
      if (x == null || y == null) {
        if (x == null && y == null) continue;
        return x == null ? 1 : -1;
      }
      if (Array.isArray(x)) {
        const d = x[0] === y[0] ? x[1] - y[1] : x[0] < y[0] ? -1 : 1;
        if (d) return desc ? -d : d;
        continue;
      }
      if (x === y) continue;
      [x, y] = [x < y ? -1 : 1, 0];
      return desc ? -x : x;
    }
    // Ties go by id, in the direction of the first sort key.
    return keys[0].desc ? Number(b.id) - Number(a.id) : Number(a.id) - Number(b.id);
  };
  return issues.slice().sort(cmp);
}

module.exports = { parseJql, sortIssues };
