/**
 * The demo province's history of answers: synthetic, deterministic, and shaped like real survey data so
 * that the analytics have something to find (issue #18 point 1, issue #19). Nothing here is a real person:
 * no names, phone numbers or addresses; suggestions are combined from fixed phrases.
 *
 * The model, on a latent scale mapped to the five levels by fixed cut points:
 *   criterion  = μ + agency + element + criterion + trend(t) + λ·z + u_e + ε
 *   element    = μ + agency + element + trend(t) + λ·z + u_e + ε      (the per-element satisfaction question)
 *   overall    = μ + agency + trend(t) + λ·z + Σ β_e·u_e + ε
 * z is a respondent's general mood (so one person's answers are correlated), u_e their experience of
 * element e (so criteria of one element move together), β_e how much an element drives the overall
 * answer (staff attitude most, the procedure's time and fees next). Agencies differ by several points,
 * element 2 (time and fees) is weak, and satisfaction rises slowly over the years, with a dip right after
 * the 1 July 2025 reorganisation in the units that were merged.
 */
import type { AgencyLevel, Channel } from '#db/schema.ts'
import { DEMO_PROCEDURE_LINKS } from './demo-procedure-agencies.ts'
import { DEMO_SUCCESSIONS, REORGANISATION_DATE } from './demo-province.ts'

export interface DemoHistoryAgency {
  code: string
  level: AgencyLevel
  validFrom: string
  validTo: string | null
}

/** What the generator needs of a questionnaire item: a loaded version's items fit. */
export interface DemoHistoryItem {
  code: string
  type: string
  role: string
  required: boolean
  options: Array<{ value: string }> | null
}

export interface DemoHistoryQuestionnaire {
  elements: Array<{ code: string; items: DemoHistoryItem[] }>
  extraItems: DemoHistoryItem[]
}

export interface DemoHistoryResponse {
  agencyCode: string
  procedureCode: string | null
  channel: Channel
  submittedAt: Date
  answers: Record<string, number | string | string[]>
}

/** Latent shift of each unit: a spread of about 15 points of "satisfied" between the best and the worst. */
interface AgencyProfile {
  effect: number
  /** Relative number of responses (a small commune gets few: a case for shrinkage). */
  volume: number
  /** Extra shifts of some elements in this unit (Sở Xây dựng's permits are slow, a commune's hall is old). */
  elements?: Record<string, number>
}

const PROFILES: Record<string, AgencyProfile> = {
  'DEMO-AL-SNV': { effect: 0.3, volume: 1 },
  'DEMO-AL-STP': { effect: 0.15, volume: 1.2, elements: { E3: 0.15 } },
  'DEMO-AL-SXD': { effect: -0.25, volume: 1, elements: { E2: -0.3 } },
  'DEMO-AL-STNMT': { effect: -0.35, volume: 1.3, elements: { E2: -0.2, E5: -0.2 } },
  'DEMO-AL-SNNMT': { effect: -0.2, volume: 1.3, elements: { E2: -0.15, E5: -0.15 } },
  'DEMO-AL-H-ANLAC': { effect: 0.05, volume: 2.2 },
  'DEMO-AL-P-ANLAC': { effect: 0.1, volume: 2.6 },
  'DEMO-BS-SNV': { effect: -0.05, volume: 0.7 },
  'DEMO-BS-H-BINHMINH': { effect: -0.15, volume: 1.4, elements: { E1: -0.25 } },
  'DEMO-AL-X-BINHMINH': { effect: -0.05, volume: 1.6, elements: { E1: -0.15 } },
  'DEMO-BS-H-HOATHUAN': { effect: 0.2, volume: 0.5, elements: { E3: 0.2 } },
  'DEMO-AL-X-HOATHUAN': { effect: 0.2, volume: 0.15, elements: { E3: 0.2 } },
}
const DEFAULT_PROFILE: AgencyProfile = { effect: 0, volume: 1 }

const MU = 0.95
const MOOD = 0.7 // λ: the respondent's general mood
const ELEMENT_SD = 0.45 // sd of u_e
const NOISE_SD = 0.6 // sd of ε
/** Element 2 (the procedure: fees and processing time) is the weak one; staff and results are better. */
const ELEMENT_EFFECTS: Record<string, number> = { E1: 0, E2: -0.35, E3: 0.1, E4: 0.15, E5: -0.1 }
const CRITERION_EFFECTS: Record<string, number> = {
  'E1.1': -0.1,
  'E1.3': -0.1,
  'E2.3': -0.1,
  'E2.4': -0.2,
  'E2.5': -0.35,
  'E3.1': 0.05,
  'E3.5': -0.05,
  'E5.2': -0.1,
  'E5.4': -0.15,
}
/** β_e: how much each element's experience moves the overall answer. */
const DRIVERS: Record<string, number> = { E1: 0.15, E2: 0.45, E3: 0.6, E4: 0.3, E5: 0.1 }
const TREND_PER_YEAR = 0.12
/** Cut points on the latent scale between levels 1|2, 2|3, 3|4, 4|5. */
const CUTS = [-1.5, -0.8, 0, 1.15]

/** A small deterministic generator (mulberry32), so the demo is the same on every machine. */
function generator(seed: number) {
  let state = seed >>> 0
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = () => {
    const u = Math.max(uniform(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform())
  }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(uniform() * list.length)]!
  return { uniform, normal, pick }
}
type Random = ReturnType<typeof generator>

function level(latent: number): number {
  let value = 1
  for (const cut of CUTS) if (latent >= cut) value += 1
  return value
}

const DAY_MS = 24 * 3600 * 1000
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000

/** Was the unit open on this day (Vietnam calendar date, 'YYYY-MM-DD')? */
function openOn(agency: DemoHistoryAgency, date: string): boolean {
  return agency.validFrom <= date && (agency.validTo === null || date <= agency.validTo)
}

/** The procedures a unit handles: its own links, or its successor's for a unit that no longer exists. */
function proceduresOf(code: string): string[] {
  const own = Object.entries(DEMO_PROCEDURE_LINKS)
    .filter(([, link]) => link.agencies.includes(code))
    .map(([procedure]) => procedure)
  if (own.length) return own
  const successor = DEMO_SUCCESSIONS.find(([from]) => from === code)?.[1]
  return successor ? proceduresOf(successor) : []
}

const MERGED_SUCCESSORS = new Set(DEMO_SUCCESSIONS.map(([, to]) => to))

// Suggestions: phrases per theme, negative and positive, combined with openers and closers. Themes follow
// the respondent's weak elements, so text analysis finds what the scores say.
const THEMES: Record<string, { element: string; negative: string[]; positive: string[] }> = {
  waiting: {
    element: 'E1',
    negative: [
      'Thời gian chờ đến lượt còn lâu, nhất là buổi sáng đầu tuần',
      'Phải ngồi chờ gần một tiếng mới được gọi số',
      'Nên bố trí thêm quầy tiếp nhận vào giờ cao điểm',
      'Máy lấy số thứ tự hay bị lỗi nên phải chờ lâu',
    ],
    positive: ['Không phải chờ lâu, được gọi số nhanh', 'Lấy số thứ tự nhanh, chờ không lâu'],
  },
  facilities: {
    element: 'E1',
    negative: [
      'Phòng chờ nóng, cần thêm quạt hoặc điều hòa',
      'Ghế ngồi chờ không đủ vào giờ cao điểm',
      'Nên có nước uống cho người dân ngồi chờ',
      'Máy tra cứu thông tin khó sử dụng với người lớn tuổi',
    ],
    positive: ['Phòng chờ sạch sẽ, thoáng mát', 'Trang thiết bị hiện đại, dễ sử dụng'],
  },
  parking: {
    element: 'E1',
    negative: [
      'Chỗ để xe chật, trời mưa không có mái che',
      'Cần bố trí thêm chỗ gửi xe cho người dân',
      'Bãi để xe xa, đi bộ vào khá vất vả',
    ],
    positive: ['Có chỗ để xe rộng rãi, có người trông giữ'],
  },
  forms: {
    element: 'E2',
    negative: [
      'Tờ khai, biểu mẫu còn phức tạp, khó điền',
      'Nên có mẫu điền sẵn để người dân tham khảo',
      'Thành phần hồ sơ yêu cầu nhiều giấy tờ trùng lặp',
      'Phải bổ sung hồ sơ nhiều lần vì hướng dẫn ban đầu chưa đủ',
    ],
    positive: ['Biểu mẫu rõ ràng, dễ điền'],
  },
  fees: {
    element: 'E2',
    negative: [
      'Chưa rõ các khoản phí, lệ phí phải nộp',
      'Nên cho phép nộp phí, lệ phí bằng chuyển khoản',
      'Mức phí, lệ phí cần được niêm yết rõ hơn',
    ],
    positive: ['Thu phí đúng quy định, có biên lai đầy đủ', 'Nộp lệ phí qua chuyển khoản rất tiện'],
  },
  processing: {
    element: 'E2',
    negative: [
      'Hồ sơ bị trễ hẹn so với giấy hẹn trả kết quả',
      'Thời gian giải quyết còn kéo dài, phải đi lại nhiều lần',
      'Nên báo trước cho người dân khi hồ sơ bị chậm',
      'Hồ sơ đất đai giải quyết quá chậm',
    ],
    positive: ['Trả kết quả đúng hẹn, có khi còn sớm hơn', 'Hồ sơ được giải quyết nhanh'],
  },
  attitude: {
    element: 'E3',
    negative: [
      'Một số cán bộ trả lời cộc lốc, chưa nhiệt tình',
      'Mong cán bộ tiếp dân niềm nở hơn',
      'Cán bộ hướng dẫn chưa tận tình, phải hỏi lại nhiều lần',
      'Công chức còn làm việc riêng trong giờ tiếp dân',
    ],
    positive: [
      'Cán bộ tiếp nhận nhiệt tình, hướng dẫn chu đáo',
      'Công chức lịch sự, giải thích rõ ràng, dễ hiểu',
      'Cán bộ một cửa rất tận tâm',
    ],
  },
  online: {
    element: 'E2',
    negative: [
      'Cổng dịch vụ công trực tuyến hay bị lỗi khi nộp hồ sơ',
      'Đã nộp hồ sơ trực tuyến mà vẫn phải mang bản giấy đến nộp',
      'Nên mở rộng dịch vụ công trực tuyến toàn trình',
      'Tra cứu tình trạng hồ sơ trên mạng chưa cập nhật kịp thời',
    ],
    positive: ['Nộp hồ sơ trực tuyến thuận tiện, không phải đi lại nhiều'],
  },
  feedback: {
    element: 'E5',
    negative: [
      'Đã góp ý qua đường dây nóng nhưng chưa thấy trả lời',
      'Hòm thư góp ý đặt ở chỗ khó thấy',
      'Nên thông báo kết quả xử lý phản ánh cho người dân',
    ],
    positive: ['Phản ánh được tiếp nhận và trả lời nhanh'],
  },
}
const OPENERS = ['', '', '', 'Góp ý: ', 'Đề nghị: ', 'Ý kiến: ']
const CLOSERS = ['', '', '', ' Cảm ơn.', ' Mong cơ quan tiếp thu.', ' Nhìn chung tôi hài lòng.', ' Trân trọng.']

function suggestion(random: Random, experience: Record<string, number>, mood: number): string {
  const themes = Object.entries(THEMES)
  // The worst-felt elements pull their themes forward.
  const weighted = themes.map(([name, theme]) => ({
    name,
    theme,
    weight: Math.exp(-1.5 * (experience[theme.element] ?? 0)) * (0.6 + random.uniform()),
  }))
  weighted.sort((a, b) => b.weight - a.weight)
  const count = random.uniform() < 0.35 ? 2 : 1
  const sentences = weighted.slice(0, count).map(({ theme }, i) => {
    const positive = (experience[theme.element] ?? 0) + mood + (i ? 0.3 : 0) > 0.6 + random.normal() * 0.3
    return random.pick(positive ? theme.positive : theme.negative)
  })
  return `${random.pick(OPENERS)}${sentences.join('. ')}.${random.pick(CLOSERS)}`.trim()
}

/** Expectation options a respondent picks, more likely for what went badly. */
const EXPECTATION_ELEMENT: Record<string, string> = {
  seating: 'E1',
  simplify: 'E2',
  publicity: 'E2',
  attitude: 'E3',
  competence: 'E3',
  time: 'E2',
  online: 'E2',
  feedback: 'E5',
}
const EXPECTATION_BASE: Record<string, number> = { simplify: 0.3, time: 0.35, online: 0.3, attitude: 0.2 }

/** Plausible shares for the SIPAS profile; any other profile question gets a uniform pick. */
const PROFILE_SHARES: Record<string, Record<string, number>> = {
  'P.respondent': { citizen: 0.88, organisation: 0.12 },
  'P.gender': { female: 0.48, male: 0.51, other: 0.01 },
  'P.age': { '18-25': 0.15, '26-40': 0.42, '41-60': 0.33, '60+': 0.1 },
  'P.ethnicity': { kinh: 0.82, other: 0.18 },
  'P.area': { urban: 0.45, rural: 0.42, mountain: 0.13 },
}

function profileAnswer(random: Random, item: DemoHistoryItem): string | null {
  const values = (item.options ?? []).map((o) => o.value)
  if (!values.length) return null
  const share = PROFILE_SHARES[item.code]
  if (share) {
    let u = random.uniform()
    for (const value of values) {
      u -= share[value] ?? 0
      if (u < 0) return value
    }
  }
  return random.pick(values)
}

export interface DemoHistoryOptions {
  count: number
  seed?: number
  /** First day of the history (Vietnam date). */
  from?: string
  now?: Date
}

/**
 * `count` responses between `from` (default 1 January 2024) and `now`, in time order, spread over the
 * units open on each day (no province itself: its one-stop shop is its departments and communes).
 */
export function generateDemoHistory(
  agencies: DemoHistoryAgency[],
  questionnaire: DemoHistoryQuestionnaire,
  options: DemoHistoryOptions,
): DemoHistoryResponse[] {
  const random = generator(options.seed ?? 20240101)
  const now = options.now ?? new Date()
  const start = Date.parse(`${options.from ?? '2024-01-01'}T00:00:00+07:00`)
  const end = now.getTime()
  if (!(end > start) || options.count <= 0) return []
  const units = agencies.filter((a) => a.level !== 'province')
  const reorganisation = Date.parse(`${REORGANISATION_DATE}T00:00:00+07:00`)
  const procedures = new Map(units.map((a) => [a.code, proceduresOf(a.code)]))

  // Working days, each with a weight: volume grows by about a fifth a year; Mondays are busy.
  const days: Array<{ startMs: number; date: string; open: DemoHistoryAgency[]; weight: number }> = []
  for (let t = start; t < end; t += DAY_MS) {
    const local = new Date(t + VIETNAM_OFFSET_MS)
    const weekday = local.getUTCDay()
    if (weekday === 0) continue
    const date = local.toISOString().slice(0, 10)
    const open = units.filter((a) => openOn(a, date))
    if (!open.length) continue
    const years = (t - start) / (365 * DAY_MS)
    const weight = (weekday === 6 ? 0.3 : weekday === 1 ? 1.3 : 1) * (1 + 0.2 * years)
    days.push({ startMs: t, date, open, weight })
  }
  if (!days.length) return []
  const totalWeight = days.reduce((s, d) => s + d.weight, 0)

  const scaleOf = (items: DemoHistoryItem[]) => items.filter((i) => i.type === 'scale5')
  const elements = questionnaire.elements.map((e) => ({
    code: e.code,
    criteria: scaleOf(e.items).filter((i) => i.role === 'criterion'),
    overall: scaleOf(e.items).filter((i) => i.role === 'element_overall'),
  }))
  const extra = questionnaire.extraItems
  const overallItems = scaleOf(extra).filter((i) => i.role === 'overall')
  const expectation = extra.find((i) => i.role === 'expectation' && i.type === 'multiple')
  const suggestionItem = extra.find((i) => i.role === 'suggestion' && i.type === 'text')
  const profileItems = extra.filter((i) => i.role === 'profile' && (i.type === 'single' || i.type === 'multiple'))

  const responses: DemoHistoryResponse[] = []
  let carried = 0
  for (const day of days) {
    // Each day's share of the count, carrying the fractions so the total is exact.
    carried += (options.count * day.weight) / totalWeight
    let today = Math.floor(carried + 1e-9)
    carried -= today
    const volumes = day.open.map((a) => (PROFILES[a.code] ?? DEFAULT_PROFILE).volume)
    const volumeTotal = volumes.reduce((s, v) => s + v, 0)
    if (day === days[days.length - 1]) today += Math.round(carried)
    // Counters are open from 07:30 to 17:00 Vietnam time (day.startMs is local midnight).
    const opening = day.startMs + 7.5 * 3600 * 1000
    const times = Array.from({ length: today }, () => opening + random.uniform() * 9.5 * 3600 * 1000)
      .map((t) => Math.min(t, end - 1000))
      .sort((a, b) => a - b)
    for (const at of times) {
      let u = random.uniform() * volumeTotal
      let index = 0
      while (index < volumes.length - 1 && u >= volumes[index]!) {
        u -= volumes[index]!
        index++
      }
      const agency = day.open[index]!
      const profile = PROFILES[agency.code] ?? DEFAULT_PROFILE
      const years = (at - start) / (365 * DAY_MS)
      const monthsAfter = (at - reorganisation) / (30 * DAY_MS)
      // Merged units stumble for a few months after 1 July 2025, then recover.
      const dip = MERGED_SUCCESSORS.has(agency.code) && monthsAfter >= 0 ? -0.25 * Math.exp(-monthsAfter / 3) : 0
      const base = MU + profile.effect + TREND_PER_YEAR * years + dip
      const mood = MOOD * random.normal()
      const experience: Record<string, number> = {}
      const answers: DemoHistoryResponse['answers'] = {}
      let driven = 0
      for (const element of elements) {
        const felt = ELEMENT_SD * random.normal()
        experience[element.code] = felt + (ELEMENT_EFFECTS[element.code] ?? 0) + (profile.elements?.[element.code] ?? 0)
        driven += (DRIVERS[element.code] ?? 0.2) * felt
        const shift = base + mood + experience[element.code]!
        for (const item of element.criteria) {
          if (!item.required && random.uniform() < 0.2) continue
          answers[item.code] = level(shift + (CRITERION_EFFECTS[item.code] ?? 0) + NOISE_SD * random.normal())
        }
        for (const item of element.overall)
          if (item.required || random.uniform() < 0.85) answers[item.code] = level(shift + NOISE_SD * random.normal())
      }
      for (const item of overallItems)
        if (item.required || random.uniform() < 0.95)
          answers[item.code] = level(base + mood + driven + 0.5 * NOISE_SD * random.normal())
      if (expectation?.options && random.uniform() < 0.65) {
        const chosen = expectation.options
          .map((o) => o.value)
          .filter((value) => {
            const element = EXPECTATION_ELEMENT[value]
            const worse = element ? Math.max(0, -(experience[element] ?? 0)) : 0
            return random.uniform() < (EXPECTATION_BASE[value] ?? 0.12) + 0.35 * worse
          })
        if (chosen.length) answers[expectation.code] = chosen
      }
      // The unhappy write more often than the happy.
      if (suggestionItem && random.uniform() < 0.12 + 0.15 * Math.max(0, -(mood + driven))) {
        answers[suggestionItem.code] = suggestion(random, experience, mood)
      }
      if (random.uniform() < 0.7)
        for (const item of profileItems) {
          if (random.uniform() < 0.1) continue
          const value = profileAnswer(random, item)
          if (value !== null) answers[item.code] = item.type === 'multiple' ? [value] : value
        }
      const list = procedures.get(agency.code) ?? []
      // Online filing grows from about 8% to about 30% of responses.
      const online = random.uniform() < 0.08 + 0.08 * years
      responses.push({
        agencyCode: agency.code,
        procedureCode: list.length ? random.pick(list) : null,
        channel: online ? 'online' : 'counter',
        submittedAt: new Date(at),
        answers,
      })
    }
  }
  return responses
}
