import express, { Router, type Request, type RequestHandler } from 'express'
import { IMPORT_MAX_BYTES } from '../../shared/exports.js'
import { can } from '../../shared/roles.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import type { SessionService } from '../auth/sessions.js'
import { ApiError, forbidden } from '../http/errors.js'
import type { ImportService } from './importService.js'

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/**
 * `POST /api/documents/:id/import/preview` and `POST /api/documents/:id/import`,
 * each with the `.docx` file itself as the request body (any content type
 * but JSON; a browser sends a `File` as is). Drafters and admins only.
 */
export function importRoutes(deps: { imports: ImportService; sessions: SessionService }): Router {
  const { imports, sessions } = deps
  const router = Router()
  router.use('/api/documents', requireUser(sessions))

  const mayImport: RequestHandler = (_request, response, next) => {
    const user = currentUser(response)
    if (!can(user, 'section.edit') && !can(user, 'structure.manage')) {
      throw forbidden('Only the drafting committee and the secretariat import Word files')
    }
    next()
  }

  router.post('/api/documents/:id/import/preview', mayImport, readFile, async (request, response) => {
    response.json(await imports.preview(String(request.params.id), fileOf(request)))
  })

  router.post('/api/documents/:id/import', mayImport, readFile, async (request, response) => {
    response.json(await imports.apply(String(request.params.id), fileOf(request), currentUser(response), request.ip ?? null))
  })

  return router
}

const rawBody = express.raw({ type: () => true, limit: IMPORT_MAX_BYTES })

// Reads the body as bytes, with a refusal that names the limit.
const readFile: RequestHandler = (request, response, next) => {
  rawBody(request, response, (error?: unknown) => {
    if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
      next(new ApiError(413, 'too_large', `The file is larger than the ${IMPORT_MAX_BYTES / 1024 / 1024} MB an import may be`))
      return
    }
    next(error)
  })
}

function fileOf(request: Request): Buffer {
  if (!Buffer.isBuffer(request.body) || request.is('multipart/form-data')) {
    throw new ApiError(400, 'not_docx', `Send the .docx file itself as the request body (Content-Type: ${DOCX_TYPE}), not JSON or a form`, 'body')
  }
  return request.body
}
