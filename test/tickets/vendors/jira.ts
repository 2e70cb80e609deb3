/**
 * Jira Service Management stand-in: `POST /rest/servicedeskapi/request` (serviceDeskId,
 * requestTypeId, requestFieldValues.summary <= 255, labels without spaces, priority.name one of
 * the site's priorities) -> 201 `{ issueId, issueKey }`; JQL search `GET /rest/api/2/search?jql=
 * labels = "<label>"` -> `{ issues, total }`; `PUT /rest/api/2/issue/<key>` -> 204; internal
 * comments -> 201; transitions per status of the default service-request workflow (Waiting for
 * support -> In progress -> Resolved -> Closed), `POST .../transition` -> 204 or 400 when not
 * available. Basic auth (e-mail and API token).
 */
import { need, VendorServer, type VendorAnswer, type VendorRequest } from './vendor-server.ts';

export interface JiraIssue {
  id: string;
  key: string;
  labels: string[];
  summary: string;
  priority: string;
  status: string;
  comments: string[];
}

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const CATEGORY: Record<string, string> = {
  'Waiting for support': 'new',
  'In progress': 'indeterminate',
  Resolved: 'done',
  Closed: 'done',
};
/** status -> available transitions (id, name, target) */
const WORKFLOW: Record<string, { id: string; name: string; to: string }[]> = {
  'Waiting for support': [
    { id: '11', name: 'Start progress', to: 'In progress' },
    { id: '21', name: 'Resolve this issue', to: 'Resolved' },
  ],
  'In progress': [{ id: '21', name: 'Resolve this issue', to: 'Resolved' }],
  Resolved: [{ id: '31', name: 'Close', to: 'Closed' }],
  Closed: [],
};

export class JiraServer extends VendorServer {
  readonly issues: JiraIssue[] = [];

  constructor(
    email: string,
    token: string,
    readonly serviceDeskId = '1',
    readonly requestTypeId = '10',
  ) {
    super(`Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`);
  }

  get url(): string {
    return `${this.origin}/rest/servicedeskapi/request`;
  }

  isCreate(r: VendorRequest): boolean {
    return r.method === 'POST' && r.path === '/rest/servicedeskapi/request';
  }

  count(label: string): number {
    return this.issues.filter((i) => i.labels.includes(label)).length;
  }

  byLabel(label: string): JiraIssue | undefined {
    return this.issues.find((i) => i.labels.includes(label));
  }

  private view(i: JiraIssue) {
    return {
      id: i.id,
      key: i.key,
      fields: {
        labels: i.labels,
        priority: { name: i.priority },
        status: { name: i.status, statusCategory: { key: CATEGORY[i.status] } },
      },
    };
  }

  protected route(r: VendorRequest): VendorAnswer {
    if (r.method === 'GET' && r.path === '/rest/api/2/search') {
      const jql = r.query.get('jql') ?? '';
      const m = /^labels\s*=\s*"([^"]+)"$/.exec(jql);
      need(m, `jql: expected labels = "<label>", got ${jql}`);
      const hits = this.issues.filter((i) => i.labels.includes(m![1]));
      return {
        status: 200,
        body: { startAt: 0, maxResults: 50, total: hits.length, issues: hits.map((i) => this.view(i)) },
      };
    }
    if (r.method === 'POST' && r.path === '/rest/servicedeskapi/request') {
      const b = (r.body ?? {}) as {
        serviceDeskId?: string;
        requestTypeId?: string;
        requestFieldValues?: Record<string, unknown>;
      };
      need(b.serviceDeskId === this.serviceDeskId, `serviceDeskId: no service desk "${b.serviceDeskId}"`);
      need(b.requestTypeId === this.requestTypeId, `requestTypeId: no request type "${b.requestTypeId}"`);
      const f = b.requestFieldValues ?? {};
      need(
        typeof f.summary === 'string' && f.summary.length > 0 && f.summary.length <= 255,
        'summary: 1-255 characters',
      );
      need(f.description === undefined || typeof f.description === 'string', 'description: a string');
      const labels = (f.labels ?? []) as string[];
      need(
        Array.isArray(labels) &&
          labels.every((l) => typeof l === 'string' && !/\s/.test(l) && l.length <= 255),
        'labels: strings without spaces',
      );
      const priority = (f.priority as { name?: string } | undefined)?.name ?? 'Medium';
      need(PRIORITIES.includes(priority), `priority: no priority "${priority}"`);
      const n = this.issues.length + 1;
      const issue: JiraIssue = {
        id: String(10000 + n),
        key: `SD-${n}`,
        labels,
        summary: f.summary as string,
        priority,
        status: 'Waiting for support',
        comments: [],
      };
      this.issues.push(issue);
      return {
        status: 201,
        body: {
          issueId: issue.id,
          issueKey: issue.key,
          requestTypeId: this.requestTypeId,
          serviceDeskId: this.serviceDeskId,
        },
      };
    }
    const issueM = /^\/rest\/api\/2\/issue\/([A-Z]+-\d+)$/.exec(r.path);
    if (issueM && r.method === 'PUT') {
      const i = this.issues.find((x) => x.key === issueM[1]);
      if (!i) return { status: 404, body: { errorMessages: ['Issue does not exist'] } };
      const name =
        (r.body as { fields?: { priority?: { name?: string } } })?.fields?.priority?.name ?? i.priority;
      need(PRIORITIES.includes(name), `priority: no priority "${name}"`);
      i.priority = name;
      return { status: 204 };
    }
    const req = /^\/rest\/servicedeskapi\/request\/([A-Z]+-\d+)\/(comment|transition)$/.exec(r.path);
    if (req) {
      const i = this.issues.find((x) => x.key === req[1]);
      if (!i) return { status: 404, body: { errorMessage: 'Request does not exist' } };
      if (req[2] === 'comment' && r.method === 'POST') {
        const c = r.body as { body?: string; public?: boolean };
        need(typeof c?.body === 'string' && c.body.length > 0, 'body: required');
        need(typeof c.public === 'boolean', 'public: required boolean');
        i.comments.push(c.body!);
        return { status: 201, body: { id: String(i.comments.length), body: c.body, public: c.public } };
      }
      if (req[2] === 'transition' && r.method === 'GET')
        return {
          status: 200,
          body: {
            size: WORKFLOW[i.status].length,
            values: WORKFLOW[i.status].map(({ id, name }) => ({ id, name })),
          },
        };
      if (req[2] === 'transition' && r.method === 'POST') {
        const id = (r.body as { id?: string })?.id;
        const t = WORKFLOW[i.status].find((x) => x.id === id);
        need(t, `id: transition ${id} is not available from "${i.status}"`);
        i.status = t!.to;
        const c = (r.body as { additionalComment?: { body?: string } }).additionalComment?.body;
        if (c) i.comments.push(c);
        return { status: 204 };
      }
    }
    return { status: 404, body: { errorMessage: `no route ${r.method} ${r.path}` } };
  }
}
