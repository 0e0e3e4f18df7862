/** Which PUBLIC_URL values make a poster that no citizen's phone can open (issue 18). */
import { describe, expect, it } from 'vitest'
import { isLocalAddress } from '#app/domain/public-url.ts'

describe('isLocalAddress', () => {
  it.each([
    'http://localhost:3000',
    'http://app.localhost',
    'http://127.0.0.1:3000',
    'http://127.8.9.10',
    'http://0.0.0.0:8080',
    'http://[::1]:3000',
    'http://[::ffff:127.0.0.1]/',
    'http://10.1.2.3',
    'http://172.16.0.1',
    'http://172.31.255.254',
    'http://192.168.1.20',
    'http://169.254.10.10',
    'http://100.64.0.1',
    'http://[fd12:3456::1]',
    'http://[fe80::1]',
    'http://maychu',
    'http://maychu.local',
    'not a url',
  ])('%s is local', (url) => {
    expect(isLocalAddress(url)).toBe(true)
  })

  it.each([
    'https://danhgia.anlac.gov.vn',
    'https://hailong.example.vn/',
    'http://203.0.113.7',
    'http://172.32.0.1',
    'http://192.169.1.1',
    'https://[2001:db8::1]',
  ])('%s is public', (url) => {
    expect(isLocalAddress(url)).toBe(false)
  })
})
