/** How citizens' typing is understood: diacritics and case ignored, đ/Đ folded, curated synonyms. */
import { describe, expect, it } from 'vitest'
import {
  normaliseSearch,
  PROCEDURE_SYNONYMS,
  procedureSearchText,
  searchAlternatives,
} from '#app/domain/procedures/search-terms.ts'

/** Whether a procedure's stored text is found by a query, the way the repository's LIKE finds it. */
function finds(query: string, text: string): boolean {
  const stored = normaliseSearch(text)
  return searchAlternatives(query).some((words) => words.every((w) => stored.includes(w)))
}

describe('normaliseSearch', () => {
  it('drops diacritics and case, so "dat dai" and "ĐẤT ĐAI" read as "Đất đai"', () => {
    expect(normaliseSearch('Đất đai')).toBe('dat dai')
    expect(normaliseSearch('ĐẤT ĐAI')).toBe('dat dai')
    expect(normaliseSearch('dat dai')).toBe('dat dai')
  })

  it('folds đ and Đ (letters of their own, not combining marks) to d', () => {
    expect(normaliseSearch('Đăng ký')).toBe('dang ky')
    expect(normaliseSearch('đường')).toBe('duong')
  })

  it('reads decomposed input (NFD, as some keyboards send it) like composed input', () => {
    expect(normaliseSearch('Ke\u0302\u0301t ho\u0302n')).toBe('ket hon')
  })

  it('turns punctuation into spaces and collapses them, keeping the dots inside a national code', () => {
    expect(normaliseSearch('  Thi tuyển,   xét tuyển công chức. ')).toBe('thi tuyen xet tuyen cong chuc')
    expect(normaliseSearch('DEMO-TTHC-001')).toBe('demo tthc 001')
    expect(normaliseSearch('Mã 1.001234.')).toBe('ma 1.001234')
  })
})

describe('searchAlternatives', () => {
  it('an empty query has no alternative (it matches everything)', () => {
    expect(searchAlternatives('  ')).toEqual([])
  })

  it('the query itself comes first, as words', () => {
    expect(searchAlternatives('Kết hôn')[0]).toEqual(['ket', 'hon'])
  })

  it('"sổ đỏ" (and "so do") finds the land-use right certificate', () => {
    const certificate = 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu'
    expect(finds('sổ đỏ', certificate)).toBe(true)
    expect(finds('so do', certificate)).toBe(true)
    expect(finds('SỔ HỒNG', certificate)).toBe(true)
    expect(searchAlternatives('so do')).toContainEqual(['giay', 'chung', 'nhan', 'quyen', 'su', 'dung', 'dat'])
  })

  it('keeps the other words of the query next to a synonym', () => {
    expect(searchAlternatives('cấp sổ đỏ lần đầu')).toContainEqual([
      ...['giay', 'chung', 'nhan', 'quyen', 'su', 'dung', 'dat'],
      ...['cap', 'lan', 'dau'],
    ])
    expect(searchAlternatives('ho khau thuong tru')).toContainEqual(['cu', 'tru', 'thuong', 'tru'])
  })

  it('"khai sinh", "kết hôn", "hộ khẩu"/"cư trú" find the official names', () => {
    expect(finds('giấy khai sinh', 'Đăng ký khai sinh')).toBe(true)
    expect(finds('giay ket hon', 'Đăng ký kết hôn')).toBe(true)
    expect(finds('hộ khẩu', 'Đăng ký thường trú')).toBe(true)
    expect(finds('ho khau', 'Đăng ký tạm trú')).toBe(true)
    expect(finds('cư trú', 'Xóa đăng ký thường trú')).toBe(true)
  })

  it('a synonym is a whole phrase: "do" alone is no "sổ đỏ"', () => {
    expect(searchAlternatives('do')).toEqual([['do']])
    expect(finds('so do', 'Đăng ký kết hôn')).toBe(false)
  })

  it('a literal match still works when a synonym exists', () => {
    expect(finds('chứng thực', 'Chứng thực bản sao từ bản chính')).toBe(true)
    expect(finds('cong chung', 'Chứng thực bản sao từ bản chính')).toBe(true)
  })

  it('every curated synonym says something and finds something', () => {
    for (const s of PROCEDURE_SYNONYMS) {
      expect(s.says.length).toBeGreaterThan(0)
      for (const found of s.finds) expect(normaliseSearch(found)).not.toBe('')
    }
  })
})

describe('procedureSearchText', () => {
  it('holds the name, both codes and the field, so "dat dai" finds a land procedure by its field', () => {
    const text = procedureSearchText({
      nameVi: 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu',
      code: 'DEMO-TTHC-007',
      nationalCode: '1.004227',
      fieldVi: 'Đất đai',
    })
    expect(text).toBe('cap giay chung nhan quyen su dung dat lan dau demo tthc 007 1.004227 dat dai')
    expect(finds('dat dai', text)).toBe(true)
    expect(finds('1.004227', text)).toBe(true)
  })
})
