export {
  WEEKDAYS,
  TWENTY_FOUR_SEVEN,
  MAX_SEARCH_YEARS,
  businessCalendarSchema,
  parseBusinessCalendar,
  isTwentyFourSeven,
  addBusinessMs,
  addBusinessMinutes,
  businessMsBetween,
  businessMinutesBetween,
  type Weekday,
  type TimeRange,
  type BusinessCalendar,
  type TwentyFourSevenCalendar,
  type Calendar,
} from './calendar';
export * from './policy';
export * from './clock';
export * from './cursor';
