// The window's picture of syncing (src/sync.ts): the header's indicator, the
// notices for worker events, and the model against a mocked shell that also
// sends events (`mockIPC(..., { shouldMockEvents: true })`).

import { emit } from '@tauri-apps/api/event'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { ApiError } from '../src/api'
import type { AppliedChange } from '../src/bindings/AppliedChange'
import type { OutboxEntry } from '../src/bindings/OutboxEntry'
import type { Review } from '../src/bindings/Review'
import type { SyncEvent } from '../src/bindings/SyncEvent'
import type { SyncOverview } from '../src/bindings/SyncOverview'
import type { SyncStatus } from '../src/bindings/SyncStatus'
import { setLang, t } from '../src/i18n'
import { notices } from '../src/notices'
import {
  indicatorOf,
  itemOf,
  noticeFor,
  outboxStatusKey,
  portalStatusKey,
  queuedNoticeKey,
  SyncModel,
  uploadText,
} from '../src/sync'

const ITEM = '0190a5e2-7c1e-7a3b-8c4d-1234567890ab'

function status(patch: Partial<SyncStatus> = {}): SyncStatus {
  return {
    signed_in: false,
    username: null,
    portal_url: null,
    online: false,
    syncing: false,
    pending: 0,
    failed: 0,
    last_error: null,
    last_success_at: null,
    retry_in_secs: null,
    ...patch,
  }
}

function overview(patch: Partial<SyncStatus> = {}, rest: Partial<SyncOverview> = {}): SyncOverview {
  return {
    status: status(patch),
    keyring: { state: 'ok' },
    profile: null,
    display_name: null,
    unit_name: null,
    role: null,
    locked: false,
    ...rest,
  }
}

function entry(patch: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: 'e1',
    item_id: ITEM,
    item_title: '市教育局召开安全工作会议',
    revision: 3,
    kind: 'submit',
    submission_id: null,
    base_portal_revision: null,
    status: 'pending',
    attempts: 0,
    last_error: null,
    created_at: '2026-09-01T01:00:00Z',
    last_attempt_at: null,
    delivered_at: null,
    ...patch,
  }
}

function change(state: AppliedChange['state'], patch: Partial<AppliedChange['event']> = {}, moved = true): SyncEvent {
  return {
    kind: 'changed',
    change: {
      item_id: ITEM,
      title: '市教育局召开安全工作会议',
      state,
      moved,
      event: {
        cursor: '00000001',
        submission_id: 's1',
        portal_revision: 1,
        from_status: 'received',
        status: state,
        by: '周静',
        at: '2026-09-01T02:00:00Z',
        comment: '',
        reason: null,
        public_url: null,
        ...patch,
      },
    },
  }
}

afterEach(() => {
  clearMocks()
  notices.splice(0)
  setLang('zh-CN')
})

describe('indicatorOf', () => {
  it('tells signed out, expired, connecting, syncing, online and offline apart', () => {
    expect(indicatorOf(null)).toBe('unknown')
    expect(indicatorOf(overview())).toBe('signed_out')
    const expired = { code: 'sign_in_required', zh: '登录已失效', en: 'sign in again' }
    expect(indicatorOf(overview({ last_error: expired }))).toBe('expired')
    expect(indicatorOf(overview({ signed_in: true }))).toBe('connecting')
    expect(indicatorOf(overview({ signed_in: true, syncing: true }))).toBe('syncing')
    expect(indicatorOf(overview({ signed_in: true, online: true }))).toBe('online')
    const down = { code: 'portal_unreachable', zh: '无法连接门户网站', en: 'cannot reach the portal' }
    expect(indicatorOf(overview({ signed_in: true, last_error: down }))).toBe('offline')
  })
})

describe('queuedNoticeKey', () => {
  it('says whether a queued item goes now, when the portal is back, or after signing in', () => {
    expect(queuedNoticeKey(overview({ signed_in: true, online: true }))).toBe('sync.queued')
    const down = { code: 'portal_unreachable', zh: '无法连接门户网站', en: 'cannot reach the portal' }
    expect(queuedNoticeKey(overview({ signed_in: true, last_error: down }))).toBe('sync.queuedWaiting')
    expect(queuedNoticeKey(overview())).toBe('sync.queuedOffline')
    expect(queuedNoticeKey(null)).toBe('sync.queuedOffline')
  })
})

describe('labels', () => {
  it('name the outbox statuses 待报送, 拒收 and 已报送', () => {
    expect(t(outboxStatusKey('pending'))).toBe('待报送')
    expect(t(outboxStatusKey('failed'))).toBe('拒收')
    expect(t(outboxStatusKey('delivered'))).toBe('已报送')
  })

  it('name the portal statuses, and leave unknown codes alone', () => {
    expect(t(portalStatusKey('returned')!)).toBe('已退回')
    expect(t(portalStatusKey('in_review')!)).toBe('审核中')
    expect(portalStatusKey('something_new')).toBeNull()
  })
})

describe('noticeFor', () => {
  it('keeps a returned item on screen with the reason, falling back to the comment', () => {
    expect(noticeFor(change('returned', { reason: '请补充数据来源' }))).toEqual({
      kind: 'warn',
      key: 'sync.notice.returned',
      params: { title: '市教育局召开安全工作会议', reason: '请补充数据来源' },
    })
    const n = noticeFor(change('returned', { reason: '  ', comment: '标题需修改' }))
    expect(n).toMatchObject({ kind: 'warn', params: { reason: '标题需修改' } })
  })

  it('tells adopted and published (with the address) as information', () => {
    expect(noticeFor(change('adopted'))).toMatchObject({ kind: 'info', key: 'sync.notice.adopted' })
    expect(noticeFor(change('published', { public_url: 'https://www.example.gov.cn/a.html' }))).toMatchObject({
      kind: 'info',
      key: 'sync.notice.published',
      params: { url: 'https://www.example.gov.cn/a.html' },
    })
  })

  it('says nothing about changes that did not move the item, or other states', () => {
    expect(noticeFor(change('returned', { reason: 'x' }, false))).toBeNull()
    expect(noticeFor(change('in_review'))).toBeNull()
    expect(noticeFor({ kind: 'status', status: status() })).toBeNull()
  })

  it('reports delivered entries, and refusals with the item title in both languages', () => {
    expect(noticeFor({ kind: 'delivered', entry: entry({ status: 'delivered' }) })).toMatchObject({
      kind: 'info',
      key: 'sync.notice.delivered',
    })
    const refused = noticeFor({
      kind: 'refused',
      entry: entry({ status: 'failed' }),
      error: { code: 'unknown_column', zh: '门户网站拒收：栏目不存在', en: 'the portal refused: unknown column' },
    })
    expect(refused).toMatchObject({ kind: 'error', error: { code: 'unknown_column' } })
    if (refused?.kind !== 'error') throw new Error('expected an error notice')
    expect(refused.error.zh).toContain('市教育局召开安全工作会议')
    expect(refused.error.zh).toContain('栏目不存在')
    expect(refused.error.en).toContain('unknown column')
  })

  it('tells the author the head\'s decision from the portal\'s queue, and the head a new request', () => {
    const review = (status: Review['status'], itemId: string | null = ITEM): SyncEvent => ({
      kind: 'review',
      review: {
        id: 'r1',
        item_id: itemId,
        client_item_id: ITEM,
        revision: 2,
        origin: 'portal',
        status,
        from_user: 'jyj.xxy',
        from_name: '张敏',
        to_user: 'jyj.fzr',
        to_name: '李建国',
        title: '市教育局召开安全工作会议',
        note: '',
        decided_by: status === 'pending' ? null : 'jyj.fzr',
        decided_name: status === 'pending' ? null : '李建国',
        decided_at: null,
        opinion: null,
        comments: [],
        created_at: '2026-12-03T01:00:00Z',
        updated_at: '2026-12-03T01:00:00Z',
        via_portal: true,
      },
    })
    expect(noticeFor(review('signed_off'))).toMatchObject({
      kind: 'info',
      key: 'sync.notice.reviewSigned',
      params: { by: '李建国' },
    })
    expect(noticeFor(review('returned'))).toMatchObject({ kind: 'warn', key: 'sync.notice.reviewReturned' })
    expect(noticeFor(review('pending', null))).toMatchObject({
      kind: 'info',
      key: 'sync.notice.reviewPending',
      params: { from: '张敏' },
    })
    expect(noticeFor(review('cancelled'))).toBeNull()
    expect(itemOf(review('signed_off'))).toBe(ITEM)
    expect(itemOf(review('pending', null))).toBeNull()
  })

  it('finds the item an event is about', () => {
    expect(itemOf(change('adopted'))).toBe(ITEM)
    expect(itemOf({ kind: 'delivered', entry: entry() })).toBe(ITEM)
    expect(itemOf({ kind: 'status', status: status() })).toBeNull()
  })
})

/** A mocked shell answering the sync commands; `answers` overrides per command. */
function shell(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = []
  let current = overview()
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>
      calls.push({ cmd, args: a })
      const answer = answers[cmd]
      if (answer) return answer(a)
      if (cmd === 'sync_status') return current
      if (cmd === 'list_outbox') return [entry()]
      throw `unexpected command ${cmd}`
    },
    { shouldMockEvents: true },
  )
  return {
    calls,
    set(next: SyncOverview) {
      current = next
    },
  }
}

/** Lets the mocked IPC promises settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve()
  await new Promise((resolve) => setTimeout(resolve, 0))
}

describe('SyncModel', () => {
  it('follows status events and turns item events into notices and reloads', async () => {
    const mock = shell()
    const model = new SyncModel()
    const changed = vi.fn()
    await model.start({ onItemChanged: changed })
    expect(indicatorOf(model.overview.value)).toBe('signed_out')

    await emit('sync-event', { kind: 'status', status: status({ signed_in: true, online: true, username: 'jyj.xxy', pending: 1 }) })
    await settle()
    expect(indicatorOf(model.overview.value)).toBe('online')
    expect(model.overview.value?.status.pending).toBe(1)

    const before = model.itemEvents.value
    await emit('sync-event', change('returned', { reason: '请补充数据来源' }))
    await settle()
    expect(changed).toHaveBeenCalledWith(ITEM)
    expect(model.itemEvents.value).toBe(before + 1)
    const warn = notices.find((n) => n.kind === 'warn')
    expect(warn).toMatchObject({ key: 'sync.notice.returned', params: { reason: '请补充数据来源' } })
    // The counts are asked for again after an item event.
    expect(mock.calls.filter((c) => c.cmd === 'sync_status').length).toBeGreaterThanOrEqual(2)
    model.stop()
  })

  it('reports a failed keyring self-test once, whether by event or by status', async () => {
    const error = { code: 'keyring', zh: '系统密钥环不可用', en: 'the system keyring is not available' }
    const mock = shell()
    mock.set(overview({}, { keyring: { state: 'failed', error } }))
    const model = new SyncModel()
    await model.start()
    await emit('keyring-check', { state: 'failed', error })
    await model.refresh()
    await settle()
    expect(notices.filter((n) => n.kind === 'error' && n.error.code === 'keyring')).toHaveLength(1)
    model.stop()
  })

  it('says so when the sign-in has expired', async () => {
    shell()
    const model = new SyncModel()
    await model.start()
    const expired = { code: 'sign_in_required', zh: '登录已失效，请重新登录门户网站。', en: 'sign in again' }
    await emit('sync-event', { kind: 'status', status: status({ last_error: expired }) })
    await settle()
    expect(indicatorOf(model.overview.value)).toBe('expired')
    expect(notices.some((n) => n.kind === 'error' && n.error.code === 'sign_in_required')).toBe(true)
    model.stop()
  })

  it('signs in with the form, closes the dialog and greets by name', async () => {
    const mock = shell({
      login: () => overview({ signed_in: true, username: 'jyj.xxy' }, { display_name: '张敏', unit_name: '市教育局' }),
    })
    const model = new SyncModel()
    model.signInOpen.value = true
    await model.signIn({ portalUrl: 'http://127.0.0.1:8787', username: 'jyj.xxy', password: 'pw', caCert: null, proxy: null })
    expect(model.signInOpen.value).toBe(false)
    expect(model.signedIn).toBe(true)
    expect(mock.calls[0]).toEqual({
      cmd: 'login',
      args: { portalUrl: 'http://127.0.0.1:8787', username: 'jyj.xxy', password: 'pw', caCert: null, proxy: null },
    })
    expect(notices.at(-1)).toMatchObject({ kind: 'info', key: 'sync.signedIn', params: { name: '张敏' } })
  })

  it('leaves the dialog open and throws the bilingual error on a failed sign-in', async () => {
    shell({
      login: () => {
        throw { code: 'invalid_credentials', zh: '用户名或密码不正确。', en: 'wrong username or password' }
      },
    })
    const model = new SyncModel()
    model.signInOpen.value = true
    const error = await model
      .signIn({ portalUrl: 'http://127.0.0.1:8787', username: 'jyj.xxy', password: 'x', caCert: null, proxy: null })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).zh).toBe('用户名或密码不正确。')
    expect((error as ApiError).en).toBe('wrong username or password')
    expect(model.signInOpen.value).toBe(true)
  })

  it('shows why 立即同步 cannot run', async () => {
    shell({
      sync_now: () => {
        throw { code: 'not_signed_in', zh: '尚未登录门户网站，请先登录。', en: 'Not signed in' }
      },
    })
    const model = new SyncModel()
    await model.syncNow()
    expect(notices.at(-1)).toMatchObject({ kind: 'error', error: { code: 'not_signed_in' } })
    expect(model.busy.value).toBe(false)
  })

  it('loads the outbox when opened and retries a refused entry', async () => {
    const mock = shell({ retry_outbox_entry: () => entry({ status: 'pending' }) })
    const model = new SyncModel()
    model.openOutbox()
    await settle()
    expect(model.outbox.value).toHaveLength(1)
    expect(mock.calls.find((c) => c.cmd === 'list_outbox')?.args).toEqual({ includeDelivered: false })
    await model.retry(entry({ status: 'failed' }))
    expect(mock.calls.map((c) => c.cmd)).toContain('retry_outbox_entry')
    expect(notices.at(-1)).toMatchObject({ kind: 'info', key: 'outbox.retried' })
  })
})

describe('upload progress', () => {
  afterEach(() => clearMocks())

  it('tracks each file until it is done, and says how far, how fast and how long', () => {
    setLang('zh-CN')
    notices.splice(0)
    const model = new SyncModel()
    const progress = (sent: number, extra: Partial<Extract<SyncEvent, { kind: 'upload' }>['progress']> = {}) =>
      ({
        kind: 'upload',
        progress: {
          outbox_id: 'o1',
          sha256: 'a'.repeat(64),
          name: '会议现场.jpg',
          sent,
          total: 200 * 1024 * 1024,
          bytes_per_sec: 8 * 1024 * 1024,
          eta_secs: 23.4,
          deduplicated: false,
          ...extra,
        },
      }) as SyncEvent
    model.handle(progress(12 * 1024 * 1024))
    const shown = [...model.uploads.value.values()]
    expect(shown).toHaveLength(1)
    expect(uploadText(shown[0]!)).toBe('12.0 MB / 200.0 MB · 8.0 MB/s · 约 23 秒')
    // No notice for progress: it is shown in place.
    expect(notices).toHaveLength(0)
    model.handle(progress(200 * 1024 * 1024))
    expect(model.uploads.value.size).toBe(0)
    model.handle(progress(0, { deduplicated: true }))
    expect(model.uploads.value.size).toBe(0)
  })
})
