import type { InputKind } from '../../shared/inputs.js'

/** A conference input of the demo workspace, from the concept note in shared/seeds. */
export interface DemoInput {
  kind: InputKind
  source: string
  title: string
  text: string
  tags: string[]
}

const BREAKOUT_1 = 'Break-out session 1: Principled humanitarian approach and auxiliary role'
const BREAKOUT_2 = 'Break-out session 2: Current situation analysis and the future'
const BREAKOUT_3 = 'Break-out session 3: Cooperation, collaboration and mutual support'
const ALMATY = 'Almaty commitments (10th European Regional Conference)'
const CONCEPT_NOTE = 'Concept note: Migration Spotlight Session'
const OUTCOMES = 'Expected outcomes of the Migration Spotlight Session'

export const DEMO_INPUTS: DemoInput[] = [
  {
    kind: 'breakout_output',
    source: BREAKOUT_1,
    title: 'Respect for the Fundamental Principles in work for and on behalf of migrants',
    text: 'How do we ensure the respect for the Fundamental Principles in our work for and on behalf of migrants? States adopting restrictive policies may seek to tie humanitarian actors to compliance activities, deportations, campaigns to discourage migration, or the transmission of migrants’ data.',
    tags: ['principles', 'auxiliary role'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_1,
    title: 'Challenges from the political, social and financial context',
    text: 'What examples do you have and what are the specific challenges faced by your National Society related to the political, social and financial context in which you operate? To what extent is this hampering the ability to assist and protect migrants, and what are the ethical considerations you grapple with?',
    tags: ['principles', 'ethics'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_1,
    title: 'Experience as auxiliary to the authorities',
    text: 'What is your experience as auxiliary to the authorities in migration-related work? What are the opportunities and what are the challenges?',
    tags: ['auxiliary role'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_1,
    title: 'A complementary, coordinated or joint approach at national level',
    text: 'Are there areas or circumstances where a complementary, coordinated or joint Red Cross Red Crescent approach would assist you to address these challenges at a national level? What might this look like?',
    tags: ['coordination'],
  },
  {
    kind: 'breakout_output',
    source: BREAKOUT_2,
    title: 'Main trends, priorities and challenges in the European region',
    text: 'What are the main trends, priorities and challenges in our migration-related work in the European region, and what might these be in the future?',
    tags: ['trends'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_2,
    title: 'Other trends, priorities and challenges, now and to come',
    text: 'What other trends, priorities and challenges are important to regional migration dynamics? Please consider both now and for the years to come.',
    tags: ['trends'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_2,
    title: 'Implications for the Movement’s ways of working',
    text: 'What are the implications of these trends, priorities and challenges for the Movement’s ways of working in the area of migration?',
    tags: ['ways of working'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_2,
    title: 'What the strategy must include',
    text: 'What measures, strategies and/or topics should be included in the Movement Strategy on Migration to ensure the Movement is equipped to respond to these trends, priorities and challenges?',
    tags: ['strategy content'],
  },
  {
    kind: 'breakout_output',
    source: BREAKOUT_3,
    title: 'Peer-to-peer collaboration between National Societies',
    text: 'How could National Societies across Europe set a structure of peer-to-peer collaboration enabling active support in the field of migration, including across borders and along migratory routes?',
    tags: ['cooperation', 'routes'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_3,
    title: 'Knowledge that could be shared between National Societies',
    text: 'What knowledge or information do National Societies currently have that could be useful to other National Societies? How can this be shared?',
    tags: ['cooperation', 'knowledge'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_3,
    title: 'Priorities for intra-regional cooperation',
    text: 'Which specific aspects of National Society work in migration should we prioritise in enhancing intra-regional peer-to-peer cooperation, collaboration and support (e.g. cross-border and route-based assistance and protection, humanitarian diplomacy at EU or national level)?',
    tags: ['cooperation', 'humanitarian diplomacy'],
  },
  {
    kind: 'guiding_question',
    source: BREAKOUT_3,
    title: 'Mechanisms and models for cooperation',
    text: 'What mechanisms or models for National Society cooperation, collaboration and support would be most helpful to the work of your National Society?',
    tags: ['cooperation'],
  },
  { kind: 'trend', source: CONCEPT_NOTE, title: 'Armed conflict, violence and forced displacement, above all in Ukraine', text: 'The conflict in Ukraine is the most significant driver of migration and displacement in Europe since the Second World War, deepening humanitarian needs among millions and in host communities.', tags: ['conflict', 'Ukraine'] },
  { kind: 'trend', source: CONCEPT_NOTE, title: 'Climate change and disasters', text: 'The adverse impacts of climate change and disasters are new and evolving threats that affect the movement of people across borders.', tags: ['climate'] },
  { kind: 'trend', source: CONCEPT_NOTE, title: 'Health threats and pandemics', text: 'Health threats and pandemics shape migration and migrants’ access to care.', tags: ['health'] },
  { kind: 'trend', source: CONCEPT_NOTE, title: 'Data protection and digitalisation', text: 'Digitalisation brings new ways to help, and new risks for the protection of migrants’ personal data.', tags: ['data'] },
  { kind: 'trend', source: CONCEPT_NOTE, title: 'Racism, xenophobia and politicisation of migration', text: 'Increasing xenophobia, politicisation, criminalisation and securitisation of public discourse and policy on migration.', tags: ['xenophobia'] },
  { kind: 'challenge', source: CONCEPT_NOTE, title: 'Access to essential services irrespective of legal status', text: 'Key challenges include access to essential services for all migrants irrespective of their legal status.', tags: ['access'] },
  { kind: 'challenge', source: CONCEPT_NOTE, title: 'Safe and dignified returns and non-refoulement', text: 'Safe and dignified returns in compliance with the principle of non-refoulement.', tags: ['protection'] },
  { kind: 'challenge', source: CONCEPT_NOTE, title: 'Family separation, disappearance and death along routes', text: 'Protection of migrants’ rights and prevention of family separation, disappearance and death along migratory routes.', tags: ['protection', 'routes', 'RFL'] },
  { kind: 'challenge', source: CONCEPT_NOTE, title: 'Preserving humanitarian space', text: 'Pressure from donors, the public and authorities, barriers to accessing migrants and pressure to share humanitarian data put humanitarian space at risk.', tags: ['humanitarian space'] },
  { kind: 'commitment', source: ALMATY, title: 'Respond to vulnerabilities regardless of legal status', text: 'Respond to the vulnerabilities of migrants and their humanitarian needs regardless of their legal status, and expand social inclusion activities for and with migrants, including increased efforts to tackle discrimination and xenophobia.', tags: ['inclusion', 'xenophobia'] },
  { kind: 'commitment', source: ALMATY, title: 'National and regional migration strategies', text: 'Develop national and regional migration strategies and guidance when migrants are recognised to be among the most vulnerable in our domestic context, involving internal and external stakeholders, including migrant and host communities.', tags: ['strategy content'] },
  { kind: 'commitment', source: ALMATY, title: 'Defend humanitarian space and advocate for migrants', text: 'Defend the humanitarian space of the Movement, and advocate with relevant authorities about migrants’ humanitarian needs and rights to ensure a principled approach to assisting migrants.', tags: ['humanitarian diplomacy', 'humanitarian space'] },
  { kind: 'commitment', source: ALMATY, title: 'Cooperate with governments along the route', text: 'Cooperate in a more efficient and effective manner between National Societies and the governments in countries of origin, transit and destination, including for migrant workers.', tags: ['cooperation', 'auxiliary role'] },
  { kind: 'commitment', source: ALMATY, title: 'Transnational cooperation along migratory routes', text: 'Provide coordinated and complementary support to vulnerable migrants through transnational cooperation between National Societies sharing similar realities along the migratory routes, creating synergies and sharing resources.', tags: ['cooperation', 'routes'] },
  { kind: 'survey_finding', source: 'Mini survey of National Societies (2020)', title: 'A Movement strategy on migration is a priority', text: 'National Societies recognised having a Movement strategy on migration as an important priority area, to strengthen coherent positioning and coordinated action in favour of vulnerable migrants.', tags: ['strategy content'] },
  { kind: 'commitment', source: OUTCOMES, title: 'Endorse the resolution "Towards a Movement Strategy on Migration"', text: 'The conference endorses the upcoming procedural Council of Delegates resolution and acknowledges the importance of a joint Movement approach to migration.', tags: ['strategy content'] },
  { kind: 'submission', source: OUTCOMES, title: 'Regional inputs on trends, priorities and cooperation', text: 'The conference provides inputs on trends, priorities and challenges from the region and on strategies to improve National Society cooperation, to be incorporated into the strategy.', tags: ['trends', 'cooperation'] },
  { kind: 'pledge', source: OUTCOMES, title: 'Scale up assistance to migrants irrespective of status', text: 'Pledges to scale up assistance to migrants irrespective of status, to better identify and protect the most at risk, and to advocate for the rights of the most vulnerable.', tags: ['access', 'protection'] },
  { kind: 'pledge', source: OUTCOMES, title: 'Staff time and resources for the strategy', text: 'Pledges of staff time and resources to develop the forthcoming strategy and its implementation.', tags: ['implementation'] },
  { kind: 'pledge', source: OUTCOMES, title: 'Peer-to-peer support, including humanitarian diplomacy', text: 'Develop the structure of peer-to-peer support in migration, including humanitarian diplomacy and protection dialogue.', tags: ['cooperation', 'humanitarian diplomacy'] },
  { kind: 'pledge', source: OUTCOMES, title: 'A joint process to collect data and identify gaps', text: 'Endorse the development of a joint process to collect data and identify gaps in the migration field.', tags: ['data'] },
]
