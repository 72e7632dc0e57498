import type { Role } from '../../shared/roles.js'
import type { SectionJSON } from '../../shared/schema.js'

/** A demo user; every one gets the demo password. */
export interface DemoUser {
  email: string
  name: string
  organisation: string
  role: Role
  color: string
}

export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@demo.local', name: 'Amina Haddad', organisation: 'IFRC Secretariat', role: 'admin', color: '#6b4fbb' },
  { email: 'drafter@demo.local', name: 'Lena Karlsson', organisation: 'Swedish Red Cross', role: 'drafter', color: '#0b7a75' },
  { email: 'reviewer@demo.local', name: 'Tomasz Nowak', organisation: 'Polish Red Cross', role: 'reviewer', color: '#b54708' },
  { email: 'approver@demo.local', name: 'Elif Demir', organisation: 'Turkish Red Crescent', role: 'approver', color: '#1d4ed8' },
]

export const DEMO_DOCUMENT_TITLE = 'Movement Strategy on Migration'

const paragraph = (text: string): SectionJSON => ({ type: 'paragraph', content: [{ type: 'text', text }] })

/**
 * The sections of the demo strategy, following the concept note of the
 * Migration Spotlight Session at the 11th European Regional Conference.
 */
export const DEMO_SECTIONS: { title: string; body: SectionJSON[] }[] = [
  {
    title: 'Purpose of the strategy',
    body: [
      paragraph(
        'This strategy sets out how the components of the International Red Cross and Red Crescent Movement will act together to reduce the risks migrants face and strengthen their resilience, along migratory routes and in countries of origin, transit and destination.',
      ),
      paragraph(
        'It builds on the Movement Statement on Migration (2019), the Almaty commitments and the inputs of National Societies gathered at the 11th European Regional Conference.',
      ),
    ],
  },
  {
    title: 'Trends, priorities and challenges',
    body: [
      paragraph(
        'Armed conflict, most of all the international armed conflict in Ukraine, climate change and disasters, health threats, digitalisation and rising xenophobia are reshaping migration in the Europe region and beyond.',
      ),
    ],
  },
  {
    title: 'A principled approach and our auxiliary role',
    body: [
      paragraph(
        'National Societies assist and protect migrants on the basis of need alone, whatever their legal status. As auxiliaries to their public authorities they cooperate closely with governments while keeping the independence that allows them to reach everyone.',
      ),
    ],
  },
  {
    title: 'Assistance and protection along migratory routes',
    body: [
      paragraph(
        'Migrants must be able to reach essential services, safety and dignity wherever they are on their journey. The Movement will scale up its work to bridge protection and assistance gaps along routes, and to prevent family separation, disappearance and death.',
      ),
    ],
  },
  {
    title: 'Cooperation between National Societies',
    body: [
      paragraph(
        'National Societies that share similar realities along the same routes will cooperate across borders: sharing knowledge, resources and staff, and building peer-to-peer support that goes beyond existing networks such as PERCO.',
      ),
    ],
  },
  {
    title: 'Humanitarian diplomacy',
    body: [
      paragraph(
        'The Movement will defend its humanitarian space and speak with authorities about the humanitarian needs and rights of migrants, at national level, in the European Union and in global fora.',
      ),
    ],
  },
  {
    title: 'Data, evidence and protection of personal data',
    body: [
      paragraph(
        'A joint process to collect data and identify gaps will underpin the strategy, while personal data collected from migrants is protected and never shared in ways that could put them at risk.',
      ),
    ],
  },
  {
    title: 'Commitments and implementation',
    body: [
      paragraph(
        'National Societies pledge staff time and resources to develop and implement this strategy. This section will record the commitments made and how progress on them will be followed up.',
      ),
    ],
  },
]
