/**
 * Themes of suggestions on realistic Vietnamese, typed with and without diacritics: the lexicon, the
 * diacritics-aware matching, the frequent phrases, the name masking and the "< 5" rule.
 */
import { describe, expect, it } from 'vitest'
import {
  frequentPhrases,
  maskNames,
  NAME_MARK,
  summariseThemes,
  THEME_CODES,
  THEMES,
  themesOf,
  tokenize,
} from '#app/domain/insight/themes.ts'
import { maskPersonalData } from '#app/domain/privacy/personal-data.ts'
import { foldVietnamese } from '#app/domain/text.ts'

describe('tokenize', () => {
  it('NFC, lower case, syllables; folded beside the written form', () => {
    // "Thủ tục" in decomposed form (as some phones send it) is the same word once normalised.
    const t = tokenize('Thu\u0309 tu\u0323c RƯỜM RÀ, cần [SĐT] đơn giản!')
    expect(t.display).toEqual(['thủ', 'tục', 'rườm', 'rà', 'cần', 'đơn', 'giản'])
    expect(t.folded).toEqual(['thu', 'tuc', 'ruom', 'ra', 'can', 'don', 'gian'])
    expect(t.accented).toBe(true)
    expect(tokenize('thu tuc rom ra qua').accented).toBe(false)
  })
})

describe('the lexicon', () => {
  it('covers the eight themes, each with keywords whose folded forms are distinct words', () => {
    expect(THEMES.map((t) => t.code)).toEqual([...THEME_CODES])
    for (const theme of THEMES) {
      expect(theme.keywords.length).toBeGreaterThan(5)
      for (const k of theme.keywords) expect(k).toBe(k.normalize('NFC').toLowerCase())
      for (const k of theme.unaccented) expect(foldVietnamese(k)).toBe(k)
    }
  })
})

describe('themesOf', () => {
  it.each([
    ['Phải chờ đợi quá lâu mới đến lượt, nên có thêm quầy', ['waiting']],
    ['phai cho doi qua lau moi den luot', ['waiting']],
    ['Cán bộ một cửa thái độ chưa nhiệt tình', ['attitude']],
    ['can bo thai do hach dich, cau gat voi nguoi dan', ['attitude']],
    ['Thủ tục còn rườm rà, nhiều giấy tờ phải nộp', ['procedures']],
    ['thu tuc rom ra, giay to nhieu', ['procedures']],
    ['Lệ phí cao quá', ['fees']],
    ['le phi cao qua', ['fees']],
    ['Nộp trên cổng DVC trực tuyến hay bị lỗi đăng nhập', ['online']],
    ['nop online tren dvc bi loi dang nhap vneid', ['online']],
    ['Không có chỗ để xe, phòng chờ nóng, thiếu ghế', ['facilities']],
    ['cho de xe chat, khong co dieu hoa', ['facilities']],
    ['Cần hướng dẫn rõ ràng hơn về các bước', ['information']],
    ['can huong dan ro rang hon', ['information']],
    ['Hồ sơ bị trễ hẹn hai lần, trả kết quả chậm', ['processing']],
    ['tra ket qua tre hen', ['processing']],
  ])('%s → %j', (text, expected) => {
    expect(themesOf(text).themes.sort()).toEqual([...expected].sort())
  })

  it('a syllable typed with accents must match the keyword with its accents', () => {
    // "Cần bố trí" folds to "can bo tri", which holds "can bo" (cán bộ): not a word about staff.
    expect(themesOf('Cần bố trí thêm chỗ gửi xe').themes).toEqual(['facilities'])
    // "phì" is not "phí" (fee), "chăm" (careful) is not "chậm" (late): folding alone would confuse them.
    expect(themesOf('Cán bộ chăm chỉ').themes).toEqual(['attitude'])
    expect(themesOf('Bé phì nộn').themes).toEqual([])
    expect(themesOf('Thu phí cao').themes).toEqual(['fees'])
    expect(themesOf('Bảo vệ quát người dân').themes).toEqual(['attitude'])
    expect(themesOf('Thiếu quạt').themes).toEqual(['facilities'])
    // Without accents the writer cannot tell them apart either: the folded form decides.
    expect(themesOf('thu phi cao').themes).toEqual(['fees'])
    expect(themesOf('giai quyet cham').themes).toEqual(['processing'])
  })

  it('multi-syllable keywords match on folded text even when the accents are partly missing', () => {
    expect(themesOf('Thủ tuc rườm ra').themes).toEqual(['procedures'])
    expect(themesOf('Rất hài lòng').themes).toEqual([])
  })
})

describe('frequentPhrases', () => {
  it('bigrams and trigrams in at least five suggestions, outside every theme, with the accented form', () => {
    const texts = [
      'Nên có sổ tay điện tử cho người dân',
      'nen co so tay dien tu',
      'Mong có sổ tay điện tử',
      'Sổ tay điện tử rất tiện',
      'Đề nghị làm sổ tay điện tử, thủ tục nhanh hơn',
      'Thủ tục rườm rà',
    ]
    const phrases = frequentPhrases(texts)
    // "sổ tay điện tử" (e-handbook) is two words of two syllables: its trigrams cover it, each in 5 texts.
    expect(phrases.map((p) => p.text)).toEqual(['sổ tay điện', 'tay điện tử'])
    expect(phrases[0].count).toBe(5)
    // Theme keywords are never phrases; under five suggestions is not shown.
    expect(frequentPhrases(texts).some((p) => p.folded.includes('thu tuc'))).toBe(false)
    expect(frequentPhrases(texts.slice(0, 4))).toEqual([])
  })

  it('counts a suggestion once however often it repeats the phrase', () => {
    const texts = ['giờ mở cửa giờ mở cửa giờ mở cửa', 'giờ mở cửa', 'gio mo cua']
    expect(frequentPhrases(texts, { minCount: 1 }).find((p) => p.folded === 'gio mo cua')?.count).toBe(3)
  })
})

describe('maskNames', () => {
  it.each([
    ['Cảm ơn chị Lan ở quầy số 3', `Cảm ơn chị ${NAME_MARK} ở quầy số 3`],
    ['Anh Nguyễn Văn Hùng rất nhiệt tình', `Anh ${NAME_MARK} rất nhiệt tình`],
    ['ông Trần Minh thái độ không tốt', `ông ${NAME_MARK} thái độ không tốt`],
    ['chị ấy rất nhiệt tình', 'chị ấy rất nhiệt tình'],
    ['anh cán bộ hướng dẫn kỹ', 'anh cán bộ hướng dẫn kỹ'],
    ['Cán bộ Hoa giải thích rõ', `Cán bộ ${NAME_MARK} giải thích rõ`],
  ])('%s', (text, masked) => {
    expect(maskNames(text)).toBe(masked)
  })
})

describe('summariseThemes', () => {
  const months = ['2025-01', '2025-02', '2025-03']
  const suggestion = (id: number, text: string, month: string) => ({ id, text, month })
  const many = [
    ...Array.from({ length: 4 }, (_, k) => suggestion(k + 1, 'Phải chờ đợi quá lâu', '2025-03')),
    ...Array.from({ length: 2 }, (_, k) => suggestion(k + 10, 'phai cho doi lau', '2025-02')),
    suggestion(20, 'Lệ phí cao, gọi 0912 345 678 cho chị Lan', '2025-03'),
    suggestion(21, 'thu tuc rom ra', '2025-01'),
    suggestion(22, 'Rất hài lòng', '2025-01'),
  ]

  it('counts per theme and month, hides under five, masks the examples', () => {
    const s = summariseThemes(many, months, { mask: maskPersonalData })
    expect(s.total).toBe(9)
    const waiting = s.themes.find((t) => t.code === 'waiting')!
    expect(waiting.count).toBe(6)
    expect(waiting.suppressed).toBe(false)
    // Two in February is shown as "< 5" (null), zero stays zero.
    expect(waiting.byMonth).toEqual([
      { month: '2025-01', count: 0 },
      { month: '2025-02', count: null },
      { month: '2025-03', count: null },
    ])
    expect(waiting.examples).toHaveLength(3)
    const fees = s.themes.find((t) => t.code === 'fees')!
    expect(fees).toMatchObject({ count: null, suppressed: true, examples: [] })
    expect(fees.byMonth.every((m) => m.count === null)).toBe(true)
    expect(s.unthemed).toBeNull()
  })

  it('masks phone numbers and names in the examples it shows', () => {
    const fees = Array.from({ length: 5 }, (_, k) =>
      suggestion(k, 'Lệ phí cao, gọi 0912 345 678 hoặc a.b@gmail.com cho chị Lan', '2025-03'),
    )
    const s = summariseThemes(fees, months, { mask: maskPersonalData })
    const examples = s.themes.find((t) => t.code === 'fees')!.examples
    expect(examples[0].text).toBe(`Lệ phí cao, gọi [SĐT] hoặc [email] cho chị ${NAME_MARK}`)
    expect(s.themes.find((t) => t.code === 'fees')!.byMonth[2]).toEqual({ month: '2025-03', count: 5 })
  })
})
