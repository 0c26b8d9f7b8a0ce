"""Coverage of the event coder on news sentences written for this test (never taken from a gold set).

``CORPUS`` holds short wire-style sentences, each with the PLOVER type a human coder following the
PLOVER 2021 manual and the CAMEO codebook would give it, or ``None`` for sentences with no event
(background, opinion, sport, weather, business figures).  The wording varies the way wire copy does:
passives, nominalisations, phrasal and light verbs, reported speech, future and conditional forms,
countries, capitals, leaders and organisations as actors.

``coverage`` scores the coder the way ``newsevents eval plover`` scores the gold standard: a sentence
is analysed alone (published 2000-01-01), negated events are left out, a typed sentence is covered
when one of its events has the expected type, and every other event counts as extra.  The test pins
the share reached per type (``FLOORS``), so a change that loses coverage fails here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest

from newsevents.pipeline import Options, process
from newsevents.records import Article

#: The publication date every sentence is analysed with (the one ``newsevents eval plover`` uses).
PUBLISHED = "2000-01-01"

CORPUS: list[tuple[str, str | None]] = [
    # ---- AGREE: willingness or commitment to cooperate; future cooperation
    ("Egypt and Ethiopia agreed to resume talks on the Nile dam next month.", "AGREE"),
    ("The Philippine president will visit Tokyo in March, his office announced.", "AGREE"),
    ("Germany pledged 50 million euros in reconstruction aid to Libya.", "AGREE"),
    ("The rebels offered to release the hostages in exchange for safe passage.", "AGREE"),
    ("Seoul said it was ready to hold talks with Pyongyang without preconditions.", "AGREE"),
    ("Brazil and Argentina promised to cooperate on border security.", "AGREE"),
    ("Kenya's president accepted an invitation to attend the summit in Addis Ababa.", "AGREE"),
    ("The Turkish foreign minister is expected to meet his Greek counterpart on Thursday.", "AGREE"),
    ("Japan vowed to support the reconstruction of Ukraine's power grid.", "AGREE"),
    ("NATO members committed to increasing military assistance to the Baltic states.", "AGREE"),
    ("The government said it would sign the peace accord with the rebels next week.", "AGREE"),
    ('Japan offered to mediate between the two sides.', 'AGREE'),
    ('Egypt is set to host the next round of talks.', 'AGREE'),
    ('The ministry said Colombia would extradite the drug lord to the United States.', 'AGREE'),
    ('Indonesia will send 1,000 troops to the UN mission in Lebanon.', 'AGREE'),
    ('France and Germany will hold talks on the budget next week.', 'AGREE'),
    ('India and the United States agreed to share satellite data.', 'AGREE'),
    ('Macron will travel to Algiers next month.', 'AGREE'),
    ('The two leaders will meet on the sidelines of the summit.', 'AGREE'),
    ('Egypt offered to host talks between Israel and Hamas.', 'AGREE'),
    ('The EU agreed to send 5,000 more troops to Mali.', 'AGREE'),
    ('Washington promised Kyiv more ammunition.', 'AGREE'),
    # ---- CONSULT: meetings, visits, hosting, phone calls, talks
    ("Chinese President Xi Jinping met French President Emmanuel Macron in Beijing on Thursday.", "CONSULT"),
    ("The Indian foreign minister arrived in Dhaka on Sunday for a two-day visit.", "CONSULT"),
    ("Putin spoke by telephone with Turkish President Recep Tayyip Erdogan about the grain corridor.", "CONSULT"),
    ("Delegations from Sudan and South Sudan held talks in Juba on oil transit fees.", "CONSULT"),
    ("Qatar hosted negotiations between the Taliban and US envoys in Doha.", "CONSULT"),
    ("The Polish prime minister received the Lithuanian president at his residence in Warsaw.", "CONSULT"),
    ("Envoys from both Koreas gathered for a meeting at the border village of Panmunjom.", "CONSULT"),
    ("Mexico's president discussed migration with the US secretary of state in Mexico City.", "CONSULT"),
    ("Officials from Armenia and Azerbaijan conferred in Brussels under EU auspices.", "CONSULT"),
    ("The Saudi crown prince was visited by a delegation of US senators in Riyadh.", "CONSULT"),
    ("Iran's foreign minister travelled to Muscat for consultations with Omani officials.", "CONSULT"),
    ("Russia's foreign minister paid a visit to Pyongyang.", 'CONSULT'),
    ('The Egyptian leader hosted his Sudanese counterpart in Cairo.', 'CONSULT'),
    ('Blinken held phone talks with his Saudi counterpart.', 'CONSULT'),
    ('The envoy sat down with Houthi leaders in Sanaa.', 'CONSULT'),
    ('Turkey brokered talks between Kyiv and Moscow.', 'CONSULT'),
    ("Nigeria's president made a state visit to China.", 'CONSULT'),
    ('The two leaders had a phone conversation on Tuesday.', 'CONSULT'),
    ('Ankara played host to a round of talks between the warring parties.', 'CONSULT'),
    ('Delegates from 40 countries convened in Geneva to discuss the refugee crisis.', 'CONSULT'),
    ('The ministers discussed the crisis by phone.', 'CONSULT'),
    # ---- SUPPORT: praise, endorsement, recognition, signing agreements, diplomatic ties
    ("France praised Morocco's role in the regional counter-terrorism effort.", "SUPPORT"),
    ("Israel and Bahrain signed an agreement on economic cooperation in Manama.", "SUPPORT"),
    ("The African Union welcomed the formation of a new government in Somalia.", "SUPPORT"),
    ("Spain recognised Palestine as a state on Tuesday.", "SUPPORT"),
    ("The United States restored diplomatic relations with Cuba.", "SUPPORT"),
    ("The Arab League endorsed Egypt's plan for the reconstruction of Gaza.", "SUPPORT"),
    ("The German chancellor voiced support for Ukraine's bid to join the European Union.", "SUPPORT"),
    ("Beijing defended Pakistan against criticism of its human rights record.", "SUPPORT"),
    ("The UN Security Council commended Kenya for leading the multinational mission in Haiti.", "SUPPORT"),
    ("Australia's prime minister lauded India as a trusted partner.", "SUPPORT"),
    ("The treaty was ratified by the Chilean senate on Wednesday.", "SUPPORT"),
    ('Iran hailed the resumption of talks with Saudi Arabia.', 'SUPPORT'),
    ("India backed Bhutan's bid for a seat on the council.", 'SUPPORT'),
    ('Vietnam and Indonesia inked a deal on maritime boundaries.', 'SUPPORT'),
    ('The signing of the accord by Ethiopia and Eritrea ended two decades of hostility.', 'SUPPORT'),
    ('Berlin threw its weight behind the French proposal.', 'SUPPORT'),
    ('Greek and Turkish officials signed a memorandum on energy cooperation.', 'SUPPORT'),
    ('Germany and Namibia signed a deal to build a hydrogen plant.', 'SUPPORT'),
    # ---- COOPERATE: mutual material cooperation, joint exercises, extradition, intelligence sharing
    ("Indian and French warships held joint naval exercises in the Arabian Sea.", "COOPERATE"),
    ("Spain extradited a Russian businessman to the United States on Friday.", "COOPERATE"),
    ("Jordan and Iraq shared intelligence on Islamic State cells along the border.", "COOPERATE"),
    ("Colombian and Ecuadorian police cooperated in dismantling a drug trafficking ring.", "COOPERATE"),
    ("Greece handed over two suspects to Italian authorities under a European arrest warrant.", "COOPERATE"),
    ("Malaysian and Indonesian navies conducted joint patrols in the Strait of Malacca.", "COOPERATE"),
    ("The FBI worked with Mexican investigators to trace the cartel's finances.", "COOPERATE"),
    ("Norway and Russia exchanged information on fishing stocks in the Barents Sea.", "COOPERATE"),
    ("Vietnam and South Korea expanded trade ties, cutting tariffs on farm goods.", "COOPERATE"),
    ("Thai and Cambodian troops carried out a joint operation against smugglers.", "COOPERATE"),
    ('Japan and the Philippines held joint drills in the South China Sea.', 'COOPERATE'),
    ('Egypt and Sudan conducted joint air force drills.', 'COOPERATE'),
    ('Uzbekistan and Kazakhstan launched a joint venture to build a railway.', 'COOPERATE'),
    ('Brazil extradited two Italian mafia suspects to Rome.', 'COOPERATE'),
    ('Kenyan and Somali intelligence services exchanged information on al-Shabaab.', 'COOPERATE'),
    ('South Africa and Nigeria boosted bilateral trade last year.', 'COOPERATE'),
    ('Serbia handed over a war crimes suspect to the Hague tribunal.', 'COOPERATE'),
    ('India and Japan staged joint naval drills off Chennai.', 'COOPERATE'),
    # ---- AID: material aid, military aid, asylum, rescues, debt relief
    ("Sweden sent 20 tonnes of medical supplies to earthquake victims in Turkey.", "AID"),
    ("The World Bank approved a $500 million loan to Pakistan.", "AID"),
    ("The United States delivered air defence systems to Ukraine on Monday.", "AID"),
    ("Ecuador granted asylum to a former Peruvian minister.", "AID"),
    ("Pakistani troops rescued 14 hostages from a militant hideout near the Afghan border.", "AID"),
    ("Japan provided emergency food assistance to flood-hit Bangladesh.", "AID"),
    ("The European Union donated 10 million euros to the World Food Programme's operation in Haiti.", "AID"),
    ("Saudi Arabia gave Egypt a $3 billion grant to shore up its currency.", "AID"),
    ("Fuel and medicine were airlifted to Gaza by the Jordanian air force.", "AID"),
    ("China wrote off $1 billion of Zambia's debt.", "AID"),
    ('China shipped ventilators to Italy.', 'AID'),
    ('The IMF disbursed $1 billion to Argentina.', 'AID'),
    ('The Red Cross distributed food to displaced families in Sudan.', 'AID'),
    ('Turkey gave refuge to thousands of Syrians fleeing the bombing.', 'AID'),
    ('UN agencies evacuated hundreds of civilians from the besieged town.', 'AID'),
    ('The IMF extended a $3 billion credit line to Egypt.', 'AID'),
    # ---- RETREAT: withdrawals, releases, disarming, access, resignations
    ("Russian troops withdrew from the town of Kherson on Friday.", "RETREAT"),
    ("Hamas released four Israeli hostages on Saturday.", "RETREAT"),
    ("Rebels handed over their weapons to UN monitors in Bangui.", "RETREAT"),
    ("Venezuela allowed UN human rights observers into the country.", "RETREAT"),
    ("Colombia's defence minister resigned on Tuesday amid a corruption scandal.", "RETREAT"),
    ("Armenian forces pulled out of three villages in the Tavush region.", "RETREAT"),
    ("The junta freed 30 political prisoners on the eve of the national holiday.", "RETREAT"),
    ("Iraq repatriated 600 of its citizens from camps in northeastern Syria.", "RETREAT"),
    ("The kidnapped aid workers were set free by their captors in Mali on Monday.", "RETREAT"),
    ("Ethiopian troops left the disputed town under the terms of the truce.", "RETREAT"),
    ('Israel and Hamas swapped prisoners on Sunday.', 'RETREAT'),
    ('The Sudanese army handed back control of the airport.', 'RETREAT'),
    ('Rebels laid down their arms in the Central African Republic.', 'RETREAT'),
    ("Peru's prime minister stepped down amid protests.", 'RETREAT'),
    ('The withdrawal of US troops from Syria was completed in March.', 'RETREAT'),
    ('The release of 50 prisoners by the Eritrean government was welcomed by the UN.', 'RETREAT'),
    ('The government released 300 political prisoners.', 'RETREAT'),
    ('The president resigned after weeks of protests.', 'RETREAT'),
    ('The army surrendered to the advancing rebels.', 'RETREAT'),
    ('The separatists gave up their weapons.', 'RETREAT'),
    ('Israel allowed aid trucks into Gaza through the Rafah crossing.', 'RETREAT'),
    ('Russian forces retreated from positions east of the river.', 'RETREAT'),
    ('The rebels returned the seized weapons to the army.', 'RETREAT'),
    ('Morocco repatriated 500 migrants stranded in Libya.', 'RETREAT'),
    ('The militia freed the abducted schoolgirls after negotiations.', 'RETREAT'),
    ('Syria let UN inspectors visit the site.', 'RETREAT'),
    ('The minister quit his post over the scandal.', 'RETREAT'),
    ('The insurgents surrendered their weapons to the army.', 'RETREAT'),
    # ---- CONCEDE: verbal concessions, pardons, lifted curfews, announced withdrawals, suspended protests
    ("The Thai government lifted the curfew in Bangkok on Wednesday.", "CONCEDE"),
    ("The Sri Lankan president pardoned 200 prisoners.", "CONCEDE"),
    ("Israel announced it would withdraw troops from the northern Gaza Strip.", "CONCEDE"),
    ("The union called off the planned strike after the government raised wages.", "CONCEDE"),
    ("Serbia eased restrictions on opposition rallies ahead of the election.", "CONCEDE"),
    ("Ethiopia ended the state of emergency in the Amhara region.", "CONCEDE"),
    ("The court acquitted the opposition leader of all charges.", "CONCEDE"),
    ("The government gave in to the strikers' demands.", "CONCEDE"),
    ("Kyiv expressed regret over the downing of the airliner.", "CONCEDE"),
    ("The opposition suspended its protests for the duration of the talks.", "CONCEDE"),
    ('Kosovo lifted a ban on Serbian goods.', 'CONCEDE'),
    ("Tunisia's president bowed to pressure and reinstated the judges.", 'CONCEDE'),
    ('The government dropped charges against the protesters.', 'CONCEDE'),
    ('The president granted amnesty to rebel fighters.', 'CONCEDE'),
    ('Ethiopia reopened its border with Eritrea.', 'CONCEDE'),
    ('Kazakhstan lifted its state of emergency.', 'CONCEDE'),
    ('The Thai king pardoned the jailed activists.', 'CONCEDE'),
    ('The government lifted restrictions on foreign media.', 'CONCEDE'),
    ('The junta relaxed the ban on political parties.', 'CONCEDE'),
    ('The authorities dropped all charges against the journalist.', 'CONCEDE'),
    ('The government bowed to the demands of the protesters and scrapped the tax.', 'CONCEDE'),
    ('Striking workers suspended their walkout after the deal.', 'CONCEDE'),
    ("The prime minister's office said it would ease the curfew next week.", 'CONCEDE'),
    # ---- REQUEST: requests, demands, orders (appeals included, as the manual says)
    ("Beijing demanded that Washington stop arms sales to Taiwan.", "REQUEST"),
    ("The opposition called on the prime minister to resign.", "REQUEST"),
    ("Ukraine asked its Western allies for more air defence systems.", "REQUEST"),
    ("Nigeria's senate demanded an explanation from the oil minister over fuel shortages.", "REQUEST"),
    ("The UN chief urged both sides to return to the negotiating table.", "REQUEST"),
    ("The Kremlin ordered the central bank to halt transfers abroad.", "REQUEST"),
    ("Tehran insisted that all sanctions be lifted before any new deal.", "REQUEST"),
    ("Kuwait called for the immediate return of its seized vessels.", "REQUEST"),
    ("Farmers' unions renewed their demand for a guaranteed minimum price.", "REQUEST"),
    ("Washington pressed Islamabad to hand over the suspects.", "REQUEST"),
    ('The Kremlin demanded guarantees from NATO.', 'REQUEST'),
    ('The opposition demanded the resignation of the interior minister.', 'REQUEST'),
    ('Israel ordered residents of northern Gaza to leave their homes.', 'REQUEST'),
    ('Pakistan demanded that Kabul act against militants.', 'REQUEST'),
    ('The union demanded higher wages for miners.', 'REQUEST'),
    ('Serbia called on Kosovo to withdraw police from the north.', 'REQUEST'),
    ("Protesters demanded the president's resignation.", 'REQUEST'),
    ('The court ordered the government to release the activist.', 'REQUEST'),
    ('The minister told the army to stop the offensive.', 'REQUEST'),
    # ---- ACCUSE: condemnation, criticism, accusation, charges, lawsuits, investigations
    ("The Chinese foreign ministry condemned the visit of a US delegation to Taipei.", "ACCUSE"),
    ("Amnesty International accused Myanmar's military of war crimes in Rakhine State.", "ACCUSE"),
    ("Prosecutors in Seoul indicted the former defence minister on insurrection charges.", "ACCUSE"),
    ("South Africa filed a case against Israel at the International Court of Justice.", "ACCUSE"),
    ("The European Commission opened an investigation into Chinese subsidies for electric cars.", "ACCUSE"),
    ("Opposition leaders criticised the president's decision to postpone the election.", "ACCUSE"),
    ("Pakistan summoned the Afghan envoy over cross-border attacks.", "ACCUSE"),
    ("Ghana lodged a formal complaint with Togo over the border incident.", "ACCUSE"),
    ("The Ukrainian military blamed Russia for the destruction of the dam.", "ACCUSE"),
    ("Human rights groups denounced the treatment of journalists in Ethiopia.", "ACCUSE"),
    ("The Serbian president was sharply criticised by EU lawmakers over election irregularities.", "ACCUSE"),
    ("Kenya's president slammed the opposition for inciting violence.", 'ACCUSE'),
    ('The EU rebuked Hungary over its media law.', 'ACCUSE'),
    ('Activists sued the government over air pollution in Delhi.', 'ACCUSE'),
    ('Police launched a probe into the death of a journalist in Manila.', 'ACCUSE'),
    ('The opposition hit out at the government over rising prices.', 'ACCUSE'),
    ('Beijing lodged a protest with Tokyo over the remarks.', 'ACCUSE'),
    ('The Chinese defence ministry accused Taiwan of provocation.', 'ACCUSE'),
    ('Seoul filed a protest with Tokyo over the textbook.', 'ACCUSE'),
    ('The government came under fire from rights groups over the new law.', 'ACCUSE'),
    ('Opposition leaders accused the election commission of fraud.', 'ACCUSE'),
    ('The minister was charged with corruption.', 'ACCUSE'),
    ('The UN Human Rights Council launched an inquiry into abuses in Sudan.', 'ACCUSE'),
    ('Rights groups decried the use of force against demonstrators.', 'ACCUSE'),
    # ---- REJECT: rejections, refusals, vetoes, denied entry, cancelled meetings
    ("Israel rejected a UN proposal for a ceasefire in Gaza.", "REJECT"),
    ("The Taliban refused to allow girls to return to secondary schools.", "REJECT"),
    ("Hungary vetoed the EU's aid package for Ukraine.", "REJECT"),
    ("North Korea turned down Seoul's offer of humanitarian assistance.", "REJECT"),
    ("The Venezuelan government denied entry to a delegation of European lawmakers.", "REJECT"),
    ("The junta has ruled out any negotiations with the armed opposition.", "REJECT"),
    ("Tehran dismissed the American demands as unacceptable.", "REJECT"),
    ("The army chief declined an invitation to testify before the parliamentary committee.", "REJECT"),
    ("Moscow has repeatedly rebuffed calls for an independent inquiry into the crash.", "REJECT"),
    ("Turkey cancelled a planned meeting with Swedish officials.", "REJECT"),
    ("Hamas rejected Israel's terms for a truce.", 'REJECT'),
    ("Pyongyang spurned Washington's offer of talks.", 'REJECT'),
    ('Germany balked at sending tanks to Ukraine.', 'REJECT'),
    ('Iran said it would not negotiate under pressure.', 'REJECT'),
    ('The council voted down the resolution on Syria.', 'REJECT'),
    ('Russia vetoed a Security Council resolution on Ukraine.', 'REJECT'),
    ('Maduro rejected calls for new elections.', 'REJECT'),
    ('The Kremlin denied Western journalists access to the region.', 'REJECT'),
    ('Egypt refused to open the Rafah crossing.', 'REJECT'),
    # ---- THREATEN: threats, ultimatums, coercive warnings
    ("Iran threatened to close the Strait of Hormuz if attacked.", "THREATEN"),
    ("Washington warned Beijing of serious consequences if it supplied weapons to Russia.", "THREATEN"),
    ("The rebels vowed to take the capital within weeks.", "THREATEN"),
    ("North Korea threatened the United States with a nuclear strike.", "THREATEN"),
    ("The Israeli defence minister warned that the army would respond with force to any attack.", "THREATEN"),
    ("Turkey threatened sanctions against companies doing business with Cyprus.", "THREATEN"),
    ("Azerbaijan issued an ultimatum to the separatists to surrender their weapons.", "THREATEN"),
    ("The union threatened a nationwide strike if pay talks fail.", "THREATEN"),
    ("The president said troops would be sent to the region unless the militias disarmed.", "THREATEN"),
    ("Serbia's president threatened to deploy troops to Kosovo.", "THREATEN"),
    ('Erdogan vowed to crush the militants.', 'THREATEN'),
    ('Hezbollah threatened to retaliate for the assassination.', 'THREATEN'),
    ('Pyongyang warned it would take countermeasures against the drills.', 'THREATEN'),
    ('The militants threatened to kill the hostages unless their demands were met.', 'THREATEN'),
    ('China warned of a strong response if the visit went ahead.', 'THREATEN'),
    ('Tehran threatened retaliation over the killing of its general.', 'THREATEN'),
    ('Russia warned of retaliation if Finland joined NATO.', 'THREATEN'),
    ('The gang threatened journalists covering the trial.', 'THREATEN'),
    ('Beijing said it would take all necessary measures to defend its sovereignty.', 'THREATEN'),
    ('The union warned it would call a general strike.', 'THREATEN'),
    ('The rebels issued a threat to attack the capital.', 'THREATEN'),
    # ---- PROTEST: demonstrations, marches, strikes, sit-ins, hunger strikes, riots
    ("Thousands of farmers protested in Paris against cheap imports.", "PROTEST"),
    ("Tens of thousands of people marched through Tbilisi on Sunday against the foreign agents law.", "PROTEST"),
    ("Doctors in Kenya went on strike over unpaid salaries.", "PROTEST"),
    ("Students staged a sit-in outside the parliament in Dhaka.", "PROTEST"),
    ("A jailed Bahraini activist began a hunger strike.", "PROTEST"),
    ("Supporters of the former prime minister rallied in Islamabad to demand his release.", "PROTEST"),
    ("Demonstrators blocked roads leading to the airport in La Paz.", "PROTEST"),
    ("Protesters rioted in the streets of Nairobi after the election results.", "PROTEST"),
    ("Workers at the Volkswagen plant walked out in a dispute over pay.", "PROTEST"),
    ("Hundreds of Armenians demonstrated outside the Azerbaijani embassy in Moscow.", "PROTEST"),
    ("Dock workers in Rotterdam held a protest against the automation of the port.", "PROTEST"),
    ('Protesters took to the streets of Caracas.', 'PROTEST'),
    ('Nurses picketed hospitals across England.', 'PROTEST'),
    ('Students occupied the university campus in protest.', 'PROTEST'),
    ('Thousands took to the streets in Buenos Aires to protest against austerity.', 'PROTEST'),
    ('Taxi drivers went on strike in Madrid.', 'PROTEST'),
    ('Miners held a rally outside the ministry in Johannesburg.', 'PROTEST'),
    ('Hundreds of people demonstrated against the dam in Laos.', 'PROTEST'),
    ('The opposition boycotted the parliamentary vote.', 'PROTEST'),
    # ---- SANCTION: sanctions, embargoes, expulsions, recalled envoys, broken ties, suspensions
    ("The European Union imposed new sanctions on Iranian drone makers.", "SANCTION"),
    ("Niger expelled the French ambassador.", "SANCTION"),
    ("Algeria recalled its ambassador from Madrid over Spain's stance on Western Sahara.", "SANCTION"),
    ("Mali withdrew from the regional bloc ECOWAS.", "SANCTION"),
    ("Washington cut off military aid to Guatemala.", "SANCTION"),
    ("The African Union suspended Gabon's membership after the coup.", "SANCTION"),
    ("Ecuador severed diplomatic ties with Mexico.", "SANCTION"),
    ("China banned imports of Japanese seafood.", "SANCTION"),
    ("Australia broke off trade negotiations with the European Union.", "SANCTION"),
    ("Russia suspended its participation in the grain deal.", "SANCTION"),
    ('Washington slapped sanctions on Venezuelan officials.', 'SANCTION'),
    ('The EU froze the assets of Russian oligarchs.', 'SANCTION'),
    ('Britain blacklisted three Iranian banks.', 'SANCTION'),
    ('Burkina Faso kicked out French troops.', 'SANCTION'),
    ('Moscow downgraded diplomatic ties with Tallinn.', 'SANCTION'),
    ('The US halted aid to Niger after the coup.', 'SANCTION'),
    ('The EU announced fresh sanctions against Belarus.', 'SANCTION'),
    ('Ukraine broke off diplomatic relations with Russia.', 'SANCTION'),
    ('Washington imposed an arms embargo on South Sudan.', 'SANCTION'),
    ('The Gulf states withdrew their ambassadors from Doha.', 'SANCTION'),
    ('The rebels withdrew from the peace talks in Doha.', 'SANCTION'),
    ('The ruling party expelled three members for dissent.', 'SANCTION'),
    ('The United States and its allies imposed an oil embargo on Iran.', 'SANCTION'),
    ('Morocco closed its embassy in Tehran.', 'SANCTION'),
    ('Sweden stopped funding UNRWA.', 'SANCTION'),
    ('Russia quit the Council of Europe.', 'SANCTION'),
    # ---- MOBILIZE: military or police moves short of force
    ("Russia massed tens of thousands of troops along the Ukrainian border.", "MOBILIZE"),
    ("China deployed warships near the disputed Scarborough Shoal.", "MOBILIZE"),
    ("The Indian army put its units in Kashmir on high alert.", "MOBILIZE"),
    ("Venezuela mobilised reservists after the referendum on Essequibo.", "MOBILIZE"),
    ("Thousands of police officers were deployed in central Lagos ahead of the planned protest.", "MOBILIZE"),
    ("Pakistan moved additional troops to the Line of Control.", "MOBILIZE"),
    ("Taiwan's military staged drills simulating a Chinese invasion.", "MOBILIZE"),
    ("The Pentagon sent an aircraft carrier to the eastern Mediterranean.", "MOBILIZE"),
    ("The Israeli army called up 300,000 reservists.", "MOBILIZE"),
    ("North Korea test-fired two ballistic missiles into the sea.", "MOBILIZE"),
    ('China scrambled fighter jets as a US warship sailed through the strait.', 'MOBILIZE'),
    ('Poland reinforced its border with Belarus with 10,000 soldiers.', 'MOBILIZE'),
    ('The army put troops on standby.', 'MOBILIZE'),
    ('Iran sent troops to its border with Afghanistan.', 'MOBILIZE'),
    ('The army deployed tanks on the streets of the capital.', 'MOBILIZE'),
    ("Iran's Revolutionary Guards put their forces on alert.", 'MOBILIZE'),
    ('Hungary beefed up security along its southern border.', 'MOBILIZE'),
    ("Japan's navy dispatched two destroyers to the Gulf of Aden.", 'MOBILIZE'),
    ('The army massed tanks near the border.', 'MOBILIZE'),
    ('The navy began exercises off the coast of Taiwan.', 'MOBILIZE'),
    ('Police were put on high alert across the country ahead of the verdict.', 'MOBILIZE'),
    # ---- COERCE: arrests, raids, curfews, censorship, deportations, crackdowns
    ("Police in Tehran arrested dozens of women for defying the dress code.", "COERCE"),
    ("Russian authorities detained a US journalist in Yekaterinburg.", "COERCE"),
    ("The Pakistani government blocked access to social media sites nationwide.", "COERCE"),
    ("Authorities imposed a curfew in Imphal after the riots.", "COERCE"),
    ("Security forces raided the offices of an opposition newspaper in Harare.", "COERCE"),
    ("Hong Kong authorities deported a British activist.", "COERCE"),
    ("The military declared martial law in the eastern provinces.", "COERCE"),
    ("Thai police launched a crackdown on illegal gambling dens.", "COERCE"),
    ("Egypt's interior ministry confiscated the passports of several human rights defenders.", "COERCE"),
    ("Dozens of protesters were taken into custody in Minsk.", "COERCE"),
    ("Iran shut down internet access in Sistan-Baluchestan province.", "COERCE"),
    ('Police rounded up dozens of migrants in Tripoli.', 'COERCE'),
    ('A Moscow court jailed an opposition politician for eight years.', 'COERCE'),
    ('Belarus placed the opposition leader under house arrest.', 'COERCE'),
    ('Authorities banned the opposition party from contesting the election.', 'COERCE'),
    ('Chinese authorities censored reports of the protest.', 'COERCE'),
    ("Turkey's police seized weapons and cash in raids across Istanbul.", 'COERCE'),
    ("Myanmar's junta cut off electricity to rebel-held towns.", 'COERCE'),
    ('Thai police carried out raids on drug dens in Bangkok.', 'COERCE'),
    ('Kenya announced a crackdown on illegal miners.', 'COERCE'),
    ('The arrest of the opposition leader sparked protests in Dakar.', 'COERCE'),
    ('The deportation of hundreds of Afghans from Pakistan began on Monday.', 'COERCE'),
    ('Police in Lagos cordoned off the area around the court.', 'COERCE'),
    ('The authorities placed several journalists under arrest.', 'COERCE'),
    ('A court in Cairo sentenced 12 activists to five years in prison.', 'COERCE'),
    ('Tanzania shut down the independent newspaper for a month.', 'COERCE'),
    ('Moscow banned the activities of the human rights group Memorial.', 'COERCE'),
    ('The tribunal sentenced the former general to life imprisonment.', 'COERCE'),
    # ---- ASSAULT: use of force
    ("Russian missiles struck power stations in Kyiv overnight.", "ASSAULT"),
    ("Gunmen killed 12 villagers in Zamfara state.", "ASSAULT"),
    ("Israeli aircraft carried out air strikes on targets in southern Lebanon.", "ASSAULT"),
    ("Somali militants attacked a military base near Mogadishu on Tuesday.", "ASSAULT"),
    ("Houthi rebels fired a missile at a commercial ship in the Red Sea.", "ASSAULT"),
    ("A suicide bomber blew himself up at a mosque in Peshawar, killing 30 people.", "ASSAULT"),
    ("Armed men kidnapped 20 students from a school in Kaduna.", "ASSAULT"),
    ("Police beat protesters with batons in Dhaka.", "ASSAULT"),
    ("Syrian government forces shelled rebel positions in Idlib province.", "ASSAULT"),
    ("Sudanese paramilitary forces besieged the city of El Fasher.", "ASSAULT"),
    ("Clashes between the army and insurgents left 15 dead in Cabo Delgado.", "ASSAULT"),
    ('Pakistani forces gunned down five militants in North Waziristan.', 'ASSAULT'),
    ('Insurgents ambushed an army convoy near Gao, killing seven soldiers.', 'ASSAULT'),
    ('Israeli jets pounded Hamas positions in Rafah overnight.', 'ASSAULT'),
    ('Militants opened fire on worshippers at a church in Burkina Faso.', 'ASSAULT'),
    ('Rebels abducted a Chinese engineer in eastern Congo.', 'ASSAULT'),
    ('A roadside bomb targeted a police patrol in Kirkuk.', 'ASSAULT'),
    ('Mobs torched dozens of homes in Manipur.', 'ASSAULT'),
    ("Ukrainian drones hit an oil refinery in Russia's Krasnodar region.", 'ASSAULT'),
    ('Troops stormed the rebel stronghold at dawn.', 'ASSAULT'),
    ("The junta's soldiers tortured detainees in Mandalay, a UN report found.", 'ASSAULT'),
    ('Police fired tear gas at protesters in Nairobi.', 'ASSAULT'),
    ('The army launched an offensive against rebels in North Kivu.', 'ASSAULT'),
    ('Officials said Turkish jets had bombed Kurdish positions in northern Iraq.', 'ASSAULT'),
    ('Witnesses said soldiers had opened fire on the crowd.', 'ASSAULT'),
    ('Police dispersed the crowd with tear gas.', 'ASSAULT'),
    ('Gunmen shot dead a police officer in Peshawar.', 'ASSAULT'),
    ('A drone strike killed a senior commander in Yemen.', 'ASSAULT'),
    ('Troops razed dozens of homes in the village.', 'ASSAULT'),
    ('Bandits looted shops and burned houses in Katsina.', 'ASSAULT'),
    # ---- no event: background, opinion without action, sport, weather, business figures
    ("The national team beat Brazil 2-1 in the World Cup qualifier on Tuesday.", None),
    ("Inflation in the euro zone fell to 2.4 percent in April.", None),
    ("Heavy rain is expected across southern China over the weekend.", None),
    ("Shares in Toyota rose 3 percent after the company raised its profit forecast.", None),
    ("The river has flooded several times in the past decade.", None),
    ("Kenya is the largest economy in East Africa.", None),
    ("The festival attracts more than a million visitors every year.", None),
    ("Temperatures in Delhi reached 47 degrees Celsius on Monday.", None),
    ("Analysts said the election outcome remained uncertain.", None),
    ("Real Madrid won the Champions League final in London.", None),
    ("Oil prices climbed above 90 dollars a barrel on Thursday.", None),
    ("The city of Lagos has a population of about 15 million.", None),
    ("The central bank kept interest rates unchanged at 5.25 percent.", None),
    ("Snow closed several mountain passes in the Alps.", None),
    ("The company reported a net loss of 200 million dollars for the quarter.", None),
    ("Many economists believe the recession will be short.", None),
    ("The museum opened a new wing dedicated to modern art.", None),
    ("Novak Djokovic defeated Carlos Alcaraz in straight sets in the final.", None),
    ("A strong earthquake struck off the coast of Japan on Friday.", None),
    ("The ministry's budget for next year is 3 percent higher than this year's.", None),
    ("Tourism revenue in Thailand recovered to pre-pandemic levels.", None),
    ("Wildfires destroyed thousands of hectares of forest in Greece.", None),
]


@dataclass
class Coverage:
    """What ``coverage`` measured: per expected type, sentences and hits; extra events; the misses."""

    sentences: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    extra: int = 0
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def share(self, kind: str) -> float:
        return self.hits[kind] / self.sentences[kind] if self.sentences[kind] else 0.0

    @property
    def extra_per_sentence(self) -> float:
        return self.extra / max(1, sum(self.sentences.values()))


def coverage(corpus: list[tuple[str, str | None]] = CORPUS) -> Coverage:
    """Code every sentence alone and count, per expected type, the sentences whose events include it."""
    options = Options(published=PUBLISHED)
    cov = Coverage()
    for i, (text, expected) in enumerate(corpus):
        result = process(Article(id=f"cov{i}", text=text, published=PUBLISHED), options)
        found = [e.plover or f"({e.cameo})" for e in result.events if not e.negated]
        kind = expected or "NONE"
        cov.sentences[kind] += 1
        hit = expected in found if expected else not found
        cov.hits[kind] += hit
        cov.extra += len([f for f in found if f != expected])
        if not hit:
            cov.misses.append((kind, text, found))
    return cov


#: Share of the sentences of each type whose events include that type ("NONE": sentences with no
#: event), measured on CORPUS at the end of session 3 and rounded down to two decimals: a floor,
#: never to be lowered.
FLOORS: dict[str, float] = {
    "ACCUSE": 0.95, "AGREE": 0.95, "AID": 1.00, "ASSAULT": 0.93, "COERCE": 0.92, "CONCEDE": 0.86, "CONSULT": 1.00,
    "COOPERATE": 0.77, "MOBILIZE": 0.90, "NONE": 0.95, "PROTEST": 1.00, "REJECT": 0.94, "REQUEST": 0.63,
    "RETREAT": 0.82, "SANCTION": 0.88, "SUPPORT": 0.94, "THREATEN": 0.80,
}

#: Extra events (of another type than the expected one) per sentence: a ceiling, never to be raised.
#: Measured 0.072 at the end of session 3, rounded up to two decimals.
EXTRA_CEILING = 0.08

#: No-event sentences the coder still gives an event, with why (the test fails once one is fixed,
#: so that it can leave this list).
KNOWN_EVENTFUL: dict[str, str] = {
    "Wildfires destroyed thousands of hectares of forest in Greece.":
        "events.py codes 'destroy' (1712) with a natural force as subject and no actor at all",
}


@pytest.fixture(scope="module")
def measured() -> Coverage:
    return coverage()


def test_corpus_is_large_and_balanced() -> None:
    kinds = Counter(expected or "NONE" for _, expected in CORPUS)
    assert len(CORPUS) >= 160 and kinds["NONE"] >= 20
    assert all(kinds[t] >= 8 for t in FLOORS if t != "NONE")
    assert len({text for text, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_coverage_per_type_stays_above_its_floor(measured: Coverage, kind: str) -> None:
    misses = [(text, found) for k, text, found in measured.misses if k == kind]
    assert measured.share(kind) >= FLOORS[kind], f"{kind}: {measured.share(kind):.2f}, missed: {misses}"


def test_extra_events_stay_below_the_ceiling(measured: Coverage) -> None:
    assert measured.extra_per_sentence <= EXTRA_CEILING


@pytest.mark.parametrize("text", [text for text, expected in CORPUS if expected is None])
def test_no_event_sentences_yield_no_event(text: str) -> None:
    result = process(Article(id="none", text=text, published=PUBLISHED), Options(published=PUBLISHED))
    found = [(e.cameo, e.trigger.text) for e in result.events if not e.negated]
    if text in KNOWN_EVENTFUL:
        assert found, f"fixed: remove {text!r} from KNOWN_EVENTFUL"
        pytest.xfail(KNOWN_EVENTFUL[text])
    assert not found, found
