// The fake Linear's workspace: an in-memory organization with teams, workflow states, users,
// labels, issues and attachments, and the rules Linear enforces when they change. Descriptions
// are kept as Linear keeps them, as rich text, and read back re-serialised
// (linear-fake-richtext.js). Mutations
// take Linear's input shapes (IssueCreateInput, IssueUpdateInput, IssueLabelCreateInput,
// AttachmentCreateInput, as coerced by graphql-js; attachmentDelete's id), reject what Linear
// rejects with Linear's error shapes, and reject with a FAKE_UNSUPPORTED error any input field
// the fake does not model, so nothing is silently ignored. Callers run each change in
// transaction(): on an error the whole state is put back, which gives issueBatchCreate its
// all-or-nothing behaviour. Ids are UUIDs derived from a counter, so a fresh or reset
// workspace always has the same ids.
'use strict';
const crypto = require('crypto');
const { reserialize } = require('./linear-fake-richtext');

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BATCH_LIMIT = 50;
const STATES = [
  ['Triage', 'triage', '#fc7840'],
  ['Backlog', 'backlog', '#bec2c8'],
  ['Todo', 'unstarted', '#e2e2e2'],
  ['In Progress', 'started', '#f2c94c'],
  ['Done', 'completed', '#5e6ad2'],
  ['Canceled', 'canceled', '#95a2b3'],
  ['Duplicate', 'duplicate', '#95a2b3'],
];
const ISSUE_CREATE_FIELDS = ['id', 'teamId', 'title', 'description', 'assigneeId', 'dueDate',
  'priority', 'stateId', 'labelIds'];
const ISSUE_UPDATE_FIELDS = ['title', 'description', 'assigneeId', 'dueDate', 'priority', 'stateId',
  'labelIds', 'addedLabelIds', 'removedLabelIds', 'teamId'];
const LABEL_CREATE_FIELDS = ['id', 'name', 'teamId', 'color', 'description', 'isGroup'];
const ATTACHMENT_CREATE_FIELDS = ['id', 'issueId', 'url', 'title', 'subtitle', 'metadata'];

// An error carrying Linear's `extensions`; graphql-js copies them into the response.
class LinearError extends Error {
  constructor(message, extensions) {
    super(message);
    this.extensions = extensions;
  }
}

function inputError(message, userPresentableMessage) {
  return new LinearError(message, {
    code: 'INPUT_ERROR', type: 'invalid input', userError: true, statusCode: 400, userPresentableMessage,
  });
}
const argumentError = (detail) => inputError('Argument Validation Error', detail);
const notFound = (entity) => inputError(`Entity not found: ${entity}`, `Could not find referenced ${entity}.`);
const alreadyExists = (entity) => inputError('Entity already exists', `A ${entity} with this id already exists.`);
function unsupported(what) {
  return new LinearError(`linear-fake: ${what} is not implemented by the fake`, {
    code: 'FAKE_UNSUPPORTED', type: 'other', userError: true,
  });
}

function rejectUnsupported(typeName, input, allowed) {
  for (const [key, value] of Object.entries(input)) {
    if (value != null && !allowed.includes(key)) throw unsupported(`${typeName}.${key}`);
  }
}

function requireUuid(value, what) {
  if (!UUID_RE.test(value)) throw argumentError(`${what} must be a UUID.`);
}

function checkPriority(value) {
  if (!Number.isInteger(value) || value < 0 || value > 4) {
    throw argumentError('priority must be an integer from 0 to 4.');
  }
  return value;
}

function checkMetadata(metadata) {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw argumentError(`metadata.${key} must be a string or a number.`);
    }
  }
  return metadata;
}

function checkUrl(url) {
  if (!URL.canParse(url)) throw argumentError('url must be a valid URL.');
}

class Workspace {
  constructor() {
    this.reset();
  }

  reset() {
    this.state = {
      nextId: 0, nextSeq: 0, syncId: 1000, organization: null,
      teams: [], states: [], users: [], labels: [], issues: [], attachments: [],
    };
    this.state.organization = this.record({ name: 'Acme', urlKey: 'acme' });
    for (const [key, name] of [['ENG', 'Engineering'], ['OPS', 'Operations']]) {
      const team = this.record({ key, name, description: null, triageEnabled: false, nextNumber: 1 });
      this.state.teams.push(team);
      STATES.forEach(([stateName, type, color], position) => {
        this.state.states.push(this.record({
          teamId: team.id, name: stateName, type, color, position, description: null,
        }));
      });
    }
    for (const [email, name, active] of [
      ['alice@example.com', 'Alice Example', true],
      ['bob@example.com', 'Bob Example', true],
      ['carol@example.com', 'Carol Example', false],
    ]) {
      this.state.users.push(this.record({ email, name, displayName: email.split('@')[0], active }));
    }
  }

  // Runs fn; if it throws, the workspace is put back as it was. The snapshot copies records
  // one level deep, so the code here replaces nested values (labelIds, previousIdentifiers,
  // metadata) rather than changing them in place.
  transaction(fn) {
    const copy = (v) => (Array.isArray(v) ? v.map((record) => ({ ...record }))
      : v && typeof v === 'object' ? { ...v } : v);
    const before = Object.fromEntries(Object.entries(this.state).map(([key, value]) => [key, copy(value)]));
    try {
      return fn();
    } catch (e) {
      this.state = before;
      throw e;
    }
  }

  newId() {
    const h = crypto.createHash('sha256').update(`linear-fake:${++this.state.nextId}`).digest('hex');
    const variant = '89ab'[parseInt(h[16], 16) & 3];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  // A new entity: id, timestamps, and sequence numbers that order lists by creation and update.
  record(fields) {
    const now = new Date().toISOString();
    const seq = ++this.state.nextSeq;
    return {
      ...fields, id: fields.id || this.newId(), createdAt: now, updatedAt: now, archivedAt: null, seq, updatedSeq: seq,
    };
  }

  touch(entity) {
    entity.updatedAt = new Date().toISOString();
    entity.updatedSeq = ++this.state.nextSeq;
    this.state.syncId++;
  }

  viewer() {
    return this.state.users[0];
  }

  team(id) {
    return this.state.teams.find((t) => t.id === id) || null;
  }

  teamByKey(key) {
    return this.state.teams.find((t) => t.key === key) || null;
  }

  workflowState(id) {
    return this.state.states.find((s) => s.id === id);
  }

  user(id) {
    return this.state.users.find((u) => u.id === id) || null;
  }

  userByEmail(email) {
    return this.state.users.find((u) => u.email === email) || null;
  }

  label(id) {
    return this.state.labels.find((l) => l.id === id);
  }

  issue(id) {
    return this.state.issues.find((i) => i.id === id);
  }

  issueUrl(issue) {
    const slug = issue.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
      .slice(0, 60).replace(/-$/, '');
    return `https://linear.app/${this.state.organization.urlKey}/issue/${issue.identifier}/${slug}`;
  }

  issueLabels(issue) {
    return this.state.labels.filter((l) => issue.labelIds.includes(l.id));
  }

  issueAttachments(issue) {
    return this.state.attachments.filter((a) => a.issueId === issue.id);
  }

  // A UUID, a current identifier ("ENG-12") or one the issue had before it changed team.
  findIssue(ref) {
    if (UUID_RE.test(ref)) return this.issue(ref.toLowerCase()) || null;
    return this.state.issues.find((i) => i.identifier === ref || i.previousIdentifiers.includes(ref)) || null;
  }

  requireIssue(ref) {
    const issue = this.findIssue(ref);
    if (!issue) throw notFound('Issue');
    return issue;
  }

  requireTeam(id) {
    requireUuid(id, 'teamId');
    const team = this.team(id);
    if (!team) throw notFound('Team');
    return team;
  }

  teamState(team, id) {
    const state = this.workflowState(id);
    if (!state) throw notFound('WorkflowState');
    if (state.teamId !== team.id) throw argumentError('stateId must be a workflow state of the issue\'s team.');
    return state;
  }

  // The state a person or pmsync means by {type} or {name}: the first by position that matches.
  stateMatching(team, { type, name }) {
    return this.state.states
      .filter((s) => s.teamId === team.id && (type == null || s.type === type) && (name == null || s.name === name))
      .sort((a, b) => a.position - b.position)[0] || null;
  }

  assignee(id) {
    const user = this.user(id);
    if (!user) throw notFound('User');
    if (!user.active) throw argumentError('Cannot assign an issue to a deactivated user.');
    return user;
  }

  checkLabelIds(team, ids) {
    const unique = [...new Set(ids)];
    for (const id of unique) {
      const label = this.label(id);
      if (!label) throw notFound('IssueLabel');
      if (label.teamId && label.teamId !== team.id) {
        throw inputError('LabelIds for incorrect team', 'Labels must belong to the issue\'s team or to the workspace.');
      }
      if (label.isGroup) throw argumentError('Group labels cannot be applied to issues.');
    }
    return unique;
  }

  // Moves an issue to a state; completedAt, canceledAt and startedAt follow the state's type.
  enterState(issue, state) {
    const previous = this.workflowState(issue.stateId);
    issue.stateId = state.id;
    if (previous && previous.type === state.type) return;
    const now = new Date().toISOString();
    issue.completedAt = state.type === 'completed' ? now : null;
    issue.canceledAt = state.type === 'canceled' ? now : null;
    if (state.type === 'started' && !issue.startedAt) issue.startedAt = now;
  }

  createIssue(input) {
    rejectUnsupported('IssueCreateInput', input, ISSUE_CREATE_FIELDS);
    const team = this.requireTeam(input.teamId);
    if (input.id != null) {
      requireUuid(input.id, 'id');
      if (this.issue(input.id.toLowerCase())) throw alreadyExists('Issue');
    }
    if (!input.title || !input.title.trim()) throw argumentError('A title is required unless a template is provided.');
    const state = input.stateId != null ? this.teamState(team, input.stateId)
      : this.stateMatching(team, { type: 'backlog' });
    const issue = this.record({
      id: input.id && input.id.toLowerCase(),
      teamId: team.id,
      number: team.nextNumber++,
      title: input.title,
      description: reserialize(input.description ?? null),
      dueDate: input.dueDate ?? null,
      priority: checkPriority(input.priority ?? 0),
      assigneeId: input.assigneeId != null ? this.assignee(input.assigneeId).id : null,
      labelIds: this.checkLabelIds(team, input.labelIds || []),
      stateId: null,
      previousIdentifiers: [],
      startedAt: null, completedAt: null, canceledAt: null, autoClosedAt: null, trashed: null,
    });
    issue.identifier = `${team.key}-${issue.number}`;
    this.enterState(issue, state);
    this.state.issues.push(issue);
    this.state.syncId++;
    return issue;
  }

  createIssues(inputs) {
    if (inputs.length > BATCH_LIMIT) {
      throw argumentError(`Up to ${BATCH_LIMIT} issues can be created in a single batch.`);
    }
    return inputs.map((input) => this.createIssue(input));
  }

  // Gives the issue the next identifier of another team, keeping the old one as a previous
  // identifier; the state maps to the same-named state there, else the first of the same type.
  moveIssue(issue, team) {
    if (issue.teamId === team.id) return;
    const state = this.workflowState(issue.stateId);
    issue.previousIdentifiers = [...issue.previousIdentifiers, issue.identifier];
    issue.teamId = team.id;
    issue.number = team.nextNumber++;
    issue.identifier = `${team.key}-${issue.number}`;
    issue.labelIds = issue.labelIds.filter((id) => !this.label(id).teamId);
    this.enterState(issue, this.stateMatching(team, { type: state.type, name: state.name })
      || this.stateMatching(team, { type: state.type }));
  }

  updateIssue(ref, input) {
    rejectUnsupported('IssueUpdateInput', input, ISSUE_UPDATE_FIELDS);
    const issue = this.requireIssue(ref);
    if ('teamId' in input) {
      if (input.teamId == null) throw argumentError('teamId must not be null.');
      this.moveIssue(issue, this.requireTeam(input.teamId));
    }
    const team = this.team(issue.teamId);
    if ('title' in input) {
      if (!input.title || !input.title.trim()) throw argumentError('title must not be empty.');
      issue.title = input.title;
    }
    if ('description' in input) issue.description = reserialize(input.description);
    if ('dueDate' in input) issue.dueDate = input.dueDate;
    if ('priority' in input) issue.priority = checkPriority(input.priority ?? 0);
    if ('assigneeId' in input) issue.assigneeId = input.assigneeId == null ? null : this.assignee(input.assigneeId).id;
    if (input.labelIds != null || input.addedLabelIds != null || input.removedLabelIds != null) {
      const removed = input.removedLabelIds || [];
      const ids = (input.labelIds || issue.labelIds).concat(input.addedLabelIds || [])
        .filter((id) => !removed.includes(id));
      issue.labelIds = this.checkLabelIds(team, ids);
    }
    if ('stateId' in input) {
      if (input.stateId == null) throw argumentError('stateId must not be null.');
      this.enterState(issue, this.teamState(team, input.stateId));
    }
    this.touch(issue);
    return issue;
  }

  setArchived(issue, archived) {
    issue.archivedAt = archived ? new Date().toISOString() : null;
    this.touch(issue);
  }

  createLabel(input, replaceTeamLabels) {
    if (replaceTeamLabels) throw unsupported('issueLabelCreate(replaceTeamLabels: true)');
    rejectUnsupported('IssueLabelCreateInput', input, LABEL_CREATE_FIELDS);
    const name = input.name.trim();
    if (!name) throw argumentError('name must not be empty.');
    const team = input.teamId != null ? this.requireTeam(input.teamId) : null;
    if (input.id != null) {
      requireUuid(input.id, 'id');
      if (this.label(input.id.toLowerCase())) throw alreadyExists('IssueLabel');
    }
    // A workspace label clashes with every label; a team label with its team's and the workspace's.
    const clash = this.state.labels.find((l) => l.name.toLowerCase() === name.toLowerCase()
      && (!team || !l.teamId || l.teamId === team.id));
    if (clash) {
      throw inputError('Label with this name already exists', 'Label with this name already exists in the team.');
    }
    const label = this.record({
      id: input.id && input.id.toLowerCase(),
      name,
      teamId: team ? team.id : null,
      color: input.color || '#bec2c8',
      description: input.description ?? null,
      isGroup: Boolean(input.isGroup),
    });
    this.state.labels.push(label);
    this.state.syncId++;
    return label;
  }

  // attachmentCreate: the same url on the same issue updates that attachment instead.
  createAttachment(input) {
    rejectUnsupported('AttachmentCreateInput', input, ATTACHMENT_CREATE_FIELDS);
    const issue = this.requireIssue(input.issueId);
    checkUrl(input.url);
    if (input.metadata != null) checkMetadata(input.metadata);
    let attachment = this.state.attachments.find((a) => a.issueId === issue.id && a.url === input.url);
    if (attachment) {
      attachment.title = input.title;
      if ('subtitle' in input) attachment.subtitle = input.subtitle;
      if (input.metadata != null) attachment.metadata = input.metadata;
      this.touch(attachment);
    } else {
      if (input.id != null) {
        requireUuid(input.id, 'id');
        if (this.state.attachments.some((a) => a.id === input.id.toLowerCase())) throw alreadyExists('Attachment');
      }
      attachment = this.record({
        id: input.id && input.id.toLowerCase(),
        issueId: issue.id,
        url: input.url,
        title: input.title,
        subtitle: input.subtitle ?? null,
        metadata: input.metadata || {},
      });
      this.state.attachments.push(attachment);
    }
    this.touch(issue);
    return attachment;
  }

  // attachmentDelete: gone for good; deleting it again is "Entity not found: Attachment".
  deleteAttachment(id) {
    const attachment = this.state.attachments.find((a) => a.id === String(id).toLowerCase());
    if (!attachment) throw notFound('Attachment');
    this.state.attachments = this.state.attachments.filter((a) => a !== attachment);
    this.touch(this.issue(attachment.issueId));
    return attachment;
  }
}

module.exports = { Workspace, LinearError, argumentError, notFound, unsupported };
