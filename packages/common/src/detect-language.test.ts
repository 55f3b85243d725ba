import { detectLanguage } from './detect-language';

const sentences: Record<string, string> = {
  en: 'The meeting has been moved to Thursday afternoon because the manager is travelling.',
  fr: 'La réunion a été déplacée à jeudi après-midi parce que la directrice est en voyage.',
  es: 'La reunión se ha trasladado al jueves por la tarde porque la directora está de viaje.',
  de: 'Die Besprechung wurde auf Donnerstagnachmittag verschoben, weil die Leiterin verreist ist.',
  pt: 'A reunião foi transferida para quinta-feira à tarde porque a diretora está viajando.',
  it: 'La riunione è stata spostata a giovedì pomeriggio perché la direttrice è in viaggio.',
  nl: 'De vergadering is verplaatst naar donderdagmiddag omdat de manager op reis is.',
  ru: 'Встреча перенесена на четверг после обеда, потому что руководитель в командировке.',
  zh: '会议改到星期四下午了，因为经理正在出差。',
  ja: 'マネージャーが出張中のため、会議は木曜日の午後に変更されました。',
  ko: '매니저가 출장 중이어서 회의가 목요일 오후로 변경되었습니다.',
  ar: 'تم نقل الاجتماع إلى بعد ظهر يوم الخميس لأن المديرة مسافرة.',
};

describe('detectLanguage', () => {
  it.each(Object.entries(sentences))('recognises %s', (code, sentence) => {
    expect(detectLanguage(sentence)?.language).toBe(code);
  });

  it('answers null when the text has no language in it', () => {
    expect(detectLanguage('12345 !!! 🙂')).toBeNull();
  });

  it('only ever answers a supported language', () => {
    // Swedish is not supported; whatever comes back must be one of ours.
    const detected = detectLanguage('Mötet har flyttats till torsdag eftermiddag.');
    expect(detected === null || Object.keys(sentences).includes(detected.language)).toBe(true);
  });
});
