/** maskPersonalData (app/domain/privacy/personal-data.ts): what citizens type into a suggestion box. */
import { describe, expect, it } from 'vitest'
import { maskPersonalData } from '#app/domain/privacy/personal-data.ts'

describe('maskPersonalData', () => {
  it('masks the finding: phone, CCCD and e-mail in one suggestion', () => {
    expect(maskPersonalData('SĐT 0912345678, CCCD 001203004567, email nguyen.van.a@gmail.com')).toBe(
      'SĐT [SĐT], CCCD [CCCD/CMND], email [email]',
    )
  })

  it.each([
    ['0912 345 678'],
    ['0912.345.678'],
    ['0912-345-678'],
    ['+84 912 345 678'],
    ['+84912345678'],
    ['84912345678'],
    ['024 3825 1234'],
    ['02438251234'],
  ])('masks the phone number %j', (phone) => {
    expect(maskPersonalData(`gọi ${phone} giúp tôi`)).toBe('gọi [SĐT] giúp tôi')
  })

  it.each([['001203004567'], ['001 203 004 567'], ['001.203.004.567'], ['123456789']])(
    'masks the identity number %j',
    (id) => {
      expect(maskPersonalData(`số ${id}.`)).toBe('số [CCCD/CMND].')
    },
  )

  it.each([['a@b.vn'], ['tran.thi_b+hs@so-noivu.gov.vn'], ['người.dùng@ví-dụ.vn']])('masks the e-mail %j', (email) => {
    expect(maskPersonalData(`thư: ${email}`)).toBe('thư: [email]')
  })

  it.each([
    ['Chờ 45 phút, 3 lần đi lại'],
    ['Hồ sơ nộp ngày 12/03/2026 lúc 8:30'],
    ['Lệ phí 1.500.000 đồng'],
    ['Dự án 1.500.000.000 đồng, 12,500,000 VND'],
    ['Quyết định 2640/QĐ-BNV'],
    ['Năm 2025 tốt hơn 2024'],
    [''],
  ])('leaves ordinary text alone: %j', (text) => {
    expect(maskPersonalData(text)).toBe(text)
  })

  it('masks every occurrence, and keeps the text around them', () => {
    expect(maskPersonalData('0912345678 hoặc 0987654321; cảm ơn')).toBe('[SĐT] hoặc [SĐT]; cảm ơn')
  })

  it('does not mask digits glued to letters (a dossier code is not a phone number)', () => {
    expect(maskPersonalData('mã hồ sơ H12.34-260312-0912345678X')).toBe('mã hồ sơ H12.34-260312-0912345678X')
  })

  it('is idempotent', () => {
    const once = maskPersonalData('SĐT 0912345678, a@b.vn')
    expect(maskPersonalData(once)).toBe(once)
  })
})
