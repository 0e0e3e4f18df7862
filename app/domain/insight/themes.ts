/**
 * What citizens write (issue #19, point 4): suggestions grouped into a fixed, documented set of themes of
 * public service, plus the frequent phrases that no theme covers. Everything runs here, in plain code — no
 * cloud service sees a citizen's words (docs/insight.md, "Themes of suggestions").
 *
 * Vietnamese is written with or without diacritics (phones without a Vietnamese keyboard, "thu tuc rom ra").
 * Texts are normalised to NFC and lower case and cut into syllables; a syllable typed without accents is
 * matched on its folded form (foldVietnamese), so "thủ tục" and "thu tuc" are one keyword, while the written
 * form is kept for display. Folding merges words ("phí" fee and "phì", "chậm" late and "chăm", "cần bố" and
 * "cán bộ"), so a syllable typed with accents must match the keyword's accents. Vietnamese words are mostly
 * two syllables, so keywords are syllable sequences and the frequent phrases are bigrams and trigrams.
 */
import { foldVietnamese } from '../text.ts'

export const THEME_CODES = [
  'waiting',
  'attitude',
  'procedures',
  'fees',
  'online',
  'facilities',
  'information',
  'processing',
] as const
export type ThemeCode = (typeof THEME_CODES)[number]

export interface Theme {
  code: ThemeCode
  /** Keywords and phrases as written with accents; their folded forms are matched too. */
  keywords: readonly string[]
  /** Forms written only without accents or as abbreviations ("dvc", "online"). */
  unaccented: readonly string[]
}

/**
 * The lexicon. Fixed and reviewed by hand, so a theme's count means the same in every period; a keyword
 * added later changes the counts of every past period too (the counts are computed on reading).
 */
export const THEMES: readonly Theme[] = [
  {
    code: 'waiting',
    keywords: [
      'chờ đợi',
      'chờ lâu',
      'đợi lâu',
      'phải chờ',
      'thời gian chờ',
      'xếp hàng',
      'lấy số',
      'bốc số',
      'số thứ tự',
      'đông người',
      'quá tải',
      'ùn tắc',
      'phải ngồi chờ',
      'gọi số',
      'đến lượt',
      'giờ cao điểm',
      'thêm quầy',
    ],
    unaccented: [],
  },
  {
    code: 'attitude',
    keywords: [
      'thái độ',
      'nhiệt tình',
      'tận tình',
      'thân thiện',
      'niềm nở',
      'lịch sự',
      'vui vẻ',
      'tôn trọng',
      'cáu gắt',
      'gắt gỏng',
      'hách dịch',
      'quát',
      'khó chịu',
      'thờ ơ',
      'gây khó dễ',
      'nhũng nhiễu',
      'vòi vĩnh',
      'tiêu cực',
      'cán bộ',
      'công chức',
    ],
    unaccented: [],
  },
  {
    code: 'procedures',
    keywords: [
      'thủ tục',
      'giấy tờ',
      'thành phần hồ sơ',
      'biểu mẫu',
      'mẫu đơn',
      'tờ khai',
      'rườm rà',
      'phức tạp',
      'đơn giản hóa',
      'đơn giản hoá',
      'cắt giảm',
      'bổ sung',
      'công chứng',
      'chứng thực',
      'bản sao',
      'điền sẵn',
      'khó điền',
    ],
    unaccented: [],
  },
  {
    code: 'fees',
    keywords: [
      'phí',
      'lệ phí',
      'chi phí',
      'phí dịch vụ',
      'miễn phí',
      'thu thêm',
      'thu tiền',
      'tiền',
      'đắt',
      'giảm phí',
    ],
    unaccented: [],
  },
  {
    code: 'online',
    keywords: [
      'trực tuyến',
      'dịch vụ công',
      'cổng dịch vụ công',
      'qua mạng',
      'mạng chậm',
      'nộp hồ sơ qua mạng',
      'ứng dụng',
      'phần mềm',
      'hệ thống',
      'đăng nhập',
      'tài khoản',
      'định danh',
      'chữ ký số',
      'thanh toán trực tuyến',
      'trên mạng',
      'toàn trình',
    ],
    unaccented: ['dvc', 'dvctt', 'online', 'vneid', 'website', 'web', 'app', 'zalo'],
  },
  {
    code: 'facilities',
    keywords: [
      'cơ sở vật chất',
      'chỗ để xe',
      'để xe',
      'gửi xe',
      'bãi xe',
      'đỗ xe',
      'chỗ ngồi',
      'ghế',
      'phòng chờ',
      'điều hòa',
      'điều hoà',
      'máy lạnh',
      'quạt',
      'nhà vệ sinh',
      'nước uống',
      'chật chội',
      'nóng bức',
      'trang thiết bị',
      'máy tính',
      'máy in',
    ],
    unaccented: ['wc'],
  },
  {
    code: 'information',
    keywords: [
      'hướng dẫn',
      'thông tin',
      'giải thích',
      'tư vấn',
      'chỉ dẫn',
      'niêm yết',
      'công khai',
      'biển báo',
      'bảng hướng dẫn',
      'rõ ràng',
      'cụ thể',
      'khó hiểu',
      'không rõ',
      'giải đáp',
      'tổng đài',
    ],
    unaccented: [],
  },
  {
    code: 'processing',
    keywords: [
      'trễ hẹn',
      'trễ',
      'chậm',
      'chậm trễ',
      'quá hạn',
      'đúng hẹn',
      'giấy hẹn',
      'trả kết quả',
      'thời gian giải quyết',
      'giải quyết nhanh',
      'giải quyết lâu',
      'xử lý lâu',
      'kéo dài',
      'nhanh chóng',
      'tiến độ',
    ],
    unaccented: [],
  },
]

/** Words that carry no topic: a frequent phrase neither starts nor ends with one. */
const STOPWORDS = new Set([
  'và',
  'của',
  'là',
  'có',
  'không',
  'cho',
  'được',
  'các',
  'những',
  'một',
  'với',
  'thì',
  'mà',
  'để',
  'khi',
  'đã',
  'đang',
  'sẽ',
  'rất',
  'nên',
  'cần',
  'hơn',
  'này',
  'đó',
  'ở',
  'tại',
  'trong',
  'về',
  'từ',
  'đến',
  'như',
  'cũng',
  'vì',
  'do',
  'bị',
  'lại',
  'thêm',
  'nữa',
  'quá',
  'nhiều',
  'ít',
  'tôi',
  'em',
  'anh',
  'chị',
  'ông',
  'bà',
  'cô',
  'chú',
  'bác',
  'mình',
  'chúng',
  'người',
  'dân',
  'xin',
  'cảm',
  'ơn',
  'ạ',
  'nhé',
  'ra',
  'vào',
  'lên',
  'đi',
  'hay',
  'hoặc',
  'nhưng',
  'phải',
  'việc',
  'làm',
])
// For texts typed without accents. Folding makes "từ" (from) and "tử" alike, so texts with accents are
// checked against the accented list only; and folded forms that are as often content words ("cua": của or
// cửa, "tu": từ or tử) are not stopwords of unaccented texts.
const STOPWORDS_FOLDED = new Set([...STOPWORDS].map(foldVietnamese).filter((w) => w !== 'cua' && w !== 'tu'))

/** A text cut into syllables: as written (NFC, lower case) and folded. */
export interface Tokens {
  display: string[]
  folded: string[]
  /** Whether the writer used Vietnamese diacritics at all. */
  accented: boolean
}

const MARKS = /\[[^\]]*\]/gu

/** NFC, lower case, syllables; the marks of masked personal data ("[SĐT]") are not words. */
export function tokenize(text: string): Tokens {
  const display = text
    .normalize('NFC')
    .toLowerCase()
    .replace(MARKS, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((s) => s.length > 0)
  const folded = display.map(foldVietnamese)
  return { display, folded, accented: display.some((s, i) => s !== folded[i]) }
}

interface CompiledKeyword {
  display: string[]
  folded: string[]
}

function compile(keyword: string): CompiledKeyword {
  const display = tokenize(keyword).display
  return { display, folded: display.map(foldVietnamese) }
}

const COMPILED = THEMES.map((t) => ({
  code: t.code,
  keywords: [...t.keywords, ...t.unaccented].map(compile),
}))

/**
 * Syllable by syllable: one written with accents must be the keyword's syllable exactly; one written
 * without accents matches the keyword's folded syllable. So "thu tuc" and "Thủ tuc" are "thủ tục", but
 * "cần bố (trí)" is not "cán bộ" and "chăm" is not "chậm", which folding alone would confuse.
 */
function matchesKeyword(tokens: Tokens, keyword: CompiledKeyword): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  const size = keyword.display.length
  for (let i = 0; i + size <= tokens.display.length; i++) {
    let all = true
    for (let k = 0; k < size && all; k++) {
      const written = tokens.display[i + k]!
      const plain = tokens.folded[i + k]!
      all = written === plain ? plain === keyword.folded[k] : written === keyword.display[k]
    }
    if (all) spans.push([i, i + size])
  }
  return spans
}

export interface ThemeMatch {
  themes: ThemeCode[]
  /** Syllable positions covered by a theme keyword: not candidates for frequent phrases. */
  covered: Set<number>
}

/** The themes one text speaks of (in lexicon order; a text may have several or none). */
export function themesOf(text: string | Tokens): ThemeMatch {
  const tokens = typeof text === 'string' ? tokenize(text) : text
  const themes: ThemeCode[] = []
  const covered = new Set<number>()
  for (const theme of COMPILED) {
    let hit = false
    for (const keyword of theme.keywords)
      for (const [from, to] of matchesKeyword(tokens, keyword)) {
        hit = true
        for (let i = from; i < to; i++) covered.add(i)
      }
    if (hit) themes.push(theme.code)
  }
  return { themes, covered }
}

export interface Phrase {
  /** The most frequent written form (with accents when most writers used them). */
  text: string
  folded: string
  /** Suggestions containing it (each counted once). */
  count: number
}

export interface PhraseOptions {
  /** Fewest suggestions a phrase must occur in: as for themes, fewer is not shown. */
  minCount?: number
  limit?: number
}

/**
 * Frequent bigrams and trigrams that no theme keyword touches: what citizens write about that the lexicon
 * does not know. Counted per suggestion, not per occurrence, so one long complaint cannot make a phrase.
 * A trigram is kept only if it is at least as frequent as its bigrams would suggest (its count is its
 * bigrams' count), so "chỗ để xe máy" does not show as three phrases.
 */
export function frequentPhrases(texts: readonly string[], options: PhraseOptions = {}): Phrase[] {
  const minCount = options.minCount ?? 5
  const limit = options.limit ?? 10
  const counts = new Map<string, { count: number; forms: Map<string, number>; size: number }>()
  for (const text of texts) {
    const tokens = tokenize(text)
    const { covered } = themesOf(tokens)
    const seen = new Set<string>()
    for (const size of [2, 3])
      for (let i = 0; i + size <= tokens.folded.length; i++) {
        const folded = tokens.folded.slice(i, i + size)
        const stop = tokens.accented
          ? (k: number) => STOPWORDS.has(tokens.display[k])
          : (k: number) => STOPWORDS_FOLDED.has(tokens.folded[k])
        if (stop(i) || stop(i + size - 1)) continue
        if (folded.some((s) => /^\d+$/.test(s))) continue
        let touched = false
        for (let k = i; k < i + size; k++) if (covered.has(k)) touched = true
        if (touched) continue
        const key = folded.join(' ')
        const form = tokens.display.slice(i, i + size).join(' ')
        const entry = counts.get(key) ?? { count: 0, forms: new Map(), size }
        entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1)
        if (!seen.has(key)) {
          entry.count += 1
          seen.add(key)
        }
        counts.set(key, entry)
      }
  }
  const frequent = [...counts].filter(([, e]) => e.count >= minCount)
  const trigrams = frequent.filter(([, e]) => e.size === 3)
  // A bigram that is only ever part of one kept trigram says the same thing: keep the longer phrase.
  const absorbed = new Set<string>()
  for (const [key, e] of trigrams) {
    const [a, b, c] = key.split(' ')
    for (const bigram of [`${a} ${b}`, `${b} ${c}`]) if (counts.get(bigram)?.count === e.count) absorbed.add(bigram)
  }
  return frequent
    .filter(([key, e]) => e.size === 3 || !absorbed.has(key))
    .map(([folded, e]) => ({ text: mostFrequentForm(e.forms), folded, count: e.count }))
    .sort((a, b) => b.count - a.count || a.folded.localeCompare(b.folded))
    .slice(0, limit)
}

function mostFrequentForm(forms: Map<string, number>): string {
  let best = ''
  let bestCount = -1
  for (const [form, n] of forms) {
    // Ties go to the accented form: it reads better and folds to the same phrase.
    const better = n > bestCount || (n === bestCount && form !== foldVietnamese(form) && best === foldVietnamese(best))
    if (better) {
      best = form
      bestCount = n
    }
  }
  return best
}

export const NAME_MARK = '[tên]'

// A title of address followed by one to four capitalised syllables: "anh Nguyễn Văn Hùng", "chị Lan".
// Lower-case words after a title ("chị ấy", "anh cán bộ") are not names and stay. Case matters, so the
// titles are spelled in both cases rather than with the i flag (which would make every word a capital).
const TITLES = [
  'anh',
  'chị',
  'chi',
  'ông',
  'ong',
  'bà',
  'ba',
  'cô',
  'co',
  'chú',
  'chu',
  'bác',
  'bac',
  'em',
  'cán bộ',
  'can bo',
]
  .flatMap((w) => [w, w[0].toUpperCase() + w.slice(1)])
  .join('|')
const NAME = '\\p{Lu}[\\p{Ll}\\p{M}]*'
const HONORIFIC_NAME = new RegExp(
  `(?<![\\p{L}\\p{N}])((?:${TITLES})\\s+)(${NAME}(?:\\s+${NAME}){0,3})(?![\\p{L}\\p{N}])`,
  'gu',
)

/**
 * Names written after a title of address, replaced by a mark for display. Phone, e-mail and ID numbers are
 * masked before storing (maskPersonalData); names are not, since telling a name from a word needs capitals,
 * which the examples keep. Only the capitalised words after "anh/chị/ông/bà/…" are taken: a citizen naming
 * the official who helped ("cảm ơn chị Lan") is the common case.
 */
export function maskNames(text: string): string {
  return text.normalize('NFC').replace(HONORIFIC_NAME, (_whole, title: string) => `${title}${NAME_MARK}`)
}

export interface Suggestion {
  id: number
  text: string
  /** YYYY-MM of the response. */
  month: string
}

export interface ThemeCount {
  code: ThemeCode
  /** Suggestions in the theme over all months; null when fewer than the minimum (shown as "< 5"). */
  count: number | null
  /** Per month (the months asked for, in order); null for 1 to minCount − 1. */
  byMonth: Array<{ month: string; count: number | null }>
  /** Up to `examples` suggestions of the theme, newest first, with personal data masked. */
  examples: Array<{ id: number; text: string; month: string }>
  suppressed: boolean
}

export interface ThemeSummary {
  /** Suggestions read (all months). */
  total: number
  /** Suggestions in no theme. */
  unthemed: number | null
  themes: ThemeCount[]
  phrases: Phrase[]
  minCount: number
}

/**
 * Counts per theme and month, examples and frequent phrases. `suggestions` newest first; `months` the months
 * of the series. `mask` is applied to every example shown (the caller passes the platform's masking).
 */
export function summariseThemes(
  suggestions: readonly Suggestion[],
  months: readonly string[],
  options: { minCount?: number; examples?: number; mask?: (text: string) => string; phrases?: number } = {},
): ThemeSummary {
  const minCount = options.minCount ?? 5
  const exampleCount = options.examples ?? 3
  const mask = (text: string) => maskNames(options.mask ? options.mask(text) : text)
  const hide = (n: number) => (n > 0 && n < minCount ? null : n)
  const byTheme = new Map<ThemeCode, Suggestion[]>(THEME_CODES.map((c) => [c, []]))
  let unthemed = 0
  for (const s of suggestions) {
    const { themes } = themesOf(s.text)
    if (!themes.length) unthemed += 1
    for (const code of themes) byTheme.get(code)!.push(s)
  }
  const themes = THEME_CODES.map((code): ThemeCount => {
    const list = byTheme.get(code)!
    const suppressed = list.length < minCount
    return {
      code,
      count: hide(list.length),
      byMonth: months.map((month) => ({
        month,
        count: suppressed ? null : hide(list.filter((s) => s.month === month).length),
      })),
      // A hidden theme shows no example: its few writers could be recognised from them.
      examples: suppressed
        ? []
        : list.slice(0, exampleCount).map((s) => ({ id: s.id, text: mask(s.text), month: s.month })),
      suppressed,
    }
  })
  return {
    total: suggestions.length,
    unthemed: hide(unthemed),
    themes,
    phrases: frequentPhrases(
      suggestions.map((s) => s.text),
      { minCount, limit: options.phrases ?? 10 },
    ),
    minCount,
  }
}

/** One theme as the page and the API show it (services/themes.ts). */
export interface ThemeView {
  code: ThemeCode
  /** Suggestions of the period in the theme; null when fewer than `minCount` ("< 5"). */
  count: number | null
  suppressed: boolean
  /** Per month of the series; null for 1 to minCount − 1, and for every month of a theme hidden over the series. */
  byMonth: Array<{ month: string; count: number | null }>
  /** Newest first, personal data masked; none for a hidden theme. */
  examples: Array<{ text: string; month: string }>
}

export interface ExpectationShare {
  value: string
  labelVi: string
  labelEn: string
  /** Weighted share of the respondents who answered the item that chose it. */
  share: number
  /** Respondents who chose it. */
  n: number
  ci: { lower: number; upper: number }
}
