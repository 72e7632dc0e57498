import type { InviteView, UserView } from '../../shared/api.js'
import { request } from '../api.js'

/** `GET /api/invites/:token`: who the link is for; a 410 when it expired or was used. */
export const fetchInvite = (token: string): Promise<InviteView> => request<InviteView>('GET', `/api/invites/${encodeURIComponent(token)}`)

/** `POST /api/invites/:token`: sets the password, signs in (the server sets the cookie) and returns the user. */
export const acceptInvite = (token: string, password: string): Promise<UserView> =>
  request<UserView>('POST', `/api/invites/${encodeURIComponent(token)}`, { password })
