# ruff: noqa: E501  (rows are kept one per line, as the sheets print them)
"""Rebuild the real-world corpus: published score sheets laid out as their sources lay them out.

Run ``python tests/data/realworld/build.py`` from the repository root; it rewrites every .xlsx in
this folder. One function per fixture; each returns the sheets of one workbook. The figures are
copied from the pages named in SOURCES.md and nothing is added: where a source leaves a cell empty
the fixture leaves it empty, and where its arithmetic is wrong the fixture keeps it wrong. Output is
deterministic (fixed document times and zip entry times), so a rebuild gives identical bytes.

Personal names and telephone numbers printed in some sources are left out (the label cell stays,
its value is empty); SOURCES.md says where.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import range_boundaries

HERE = Path(__file__).resolve().parent
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2024-01-01T00:00:00Z"

Row = Sequence[Any]


@dataclass
class Sheet:
    title: str
    rows: list[Row]
    merges: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# 1. 安徽 池州 贵池区 棠溪镇 委托业务项目 2022 — national project form, funds total row left at 0


def anhui_tangxi_weituo_2022() -> list[Sheet]:
    rows: list[Row] = [
        ["附件:"],
        ["项目支出绩效自评表"],
        ["(2022年度)"],
        ["项目名称", "委托业务项目"],
        ["主管部门", "219-池州市贵池区棠溪镇人民政府", None, None, "实施单位", "219001-池州市贵池区棠溪镇人民政府"],
        ["项目资金\n(万元)", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额:", 0, 0, 0, 10, 0, 0],
        [None, "其中:本年财政拨款", 90, 89.974, 89.974],
        [None, "上年结转资金"],
        [None, "其他资金"],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [
            None,
            "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
            "30万元用于基建工程项目设计、规划、测绘。",
            None,
            None,
            "本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
            "29.99万元用于基建工程项目设计、规划、测绘。",
        ],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", 50, 8, 8],
        [None, None, "质量指标", "委托业务报告合格率", "≥100百分比", 100, 8, 8],
        [None, None, None, "经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8, 8],
        [None, None, "时效指标", "提交报告及时性", "在项目计划完成时间内完成", "达成预期指标", 8, 8],
        [None, None, "成本指标", "项目总成本", "≤90万元", 90, 8, 8],
        [None, None, None, "单项业务成本", "符合相关规定", "达成预期指标", 10, 10],
        [None, "效益指标(30分)", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显", "达成预期指标", 10, 10],
        [None, None, "生态效益指标", "对控制基建项目成本影响程度", "效果明显", "达成预期指标", 10, 10],
        [
            None,
            None,
            "可持续影响指标",
            "对推动基建项目“四项制度”健全和落实的持续性影响",
            "效果明显",
            "达成预期指标",
            10,
            10,
        ],
        [None, None, "经济效益指标"],
        [None, "满意度指标(10分)", "满意度指标", "公众满"],
    ]  # fmt: skip
    merges = [
        "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5", "A6:A10", "A11:A12", "B11:D11", "E11:I11",
        "B12:D12", "E12:I12", "A13:A24", "B14:B19", "C15:C16", "C18:C19", "B20:B23",
    ]  # fmt: skip
    return [Sheet("项目支出绩效自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 2. 安徽 池州 贵池区 棠溪镇 村级补助及运转经费 2022 — same form, budget cut during the year


def anhui_tangxi_cunji_2022() -> list[Sheet]:
    rows: list[Row] = [
        ["附件:"],
        ["项目支出绩效自评表"],
        ["(2022年度)"],
        ["项目名称", "村级补助及运转经费"],
        ["主管部门", "219-池州市贵池区棠溪镇人民政府", None, None, "实施单位", "219001-池州市贵池区棠溪镇人民政府"],
        ["项目资金\n(万元)", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额:", 0, 0, 0, 10, 0, 0],
        [None, "其中:本年财政拨款", 202.64, 132.912, 132.912],
        [None, "上年结转资金"],
        [None, "其他资金"],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [
            None,
            "本项目共申请预算资金2026400元,其中村级组织运转400000元,村民组长,党小组长基本报酬252000元,"
            "村民监督委员会 工资28000元,村级事务补助960000元,村级工作目标奖励100000元。",
            None,
            None,
            "本项目共完成预算资金1329120.67元,其中村级组织运转439120.67元,村民组长,党小组长基本报酬152000元,"
            "村民监督委员会 工资28000元,村级事务补助660000元,村级工作目标奖励50000元。",
        ],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标(50分)", "数量指标", "补助村(社区)数量", "=8个", 8, 8, 8],
        [None, None, None, "保障村干部人数", "=42个", 42, 8, 8],
        [None, None, "质量指标", "补助资格合规性", "合规", "达成预期指标", 8, 8],
        [None, None, None, "经费审批流程规范性", "严格执行相关制度规定", "达成预期指标", 8, 8],
        [None, None, "时效指标", "补助经费到位及时性", "及时", "达成预期指标", 8, 8],
        [None, None, "成本指标", "项目总成本", "≤202.6万元", 132.9, 10, 10],
        [
            None,
            "效益指标(30分)",
            "经济效益指标",
            "对保障村(社区)两委机构正常运行的影响程度",
            "效果明显",
            "达成预期指标",
            10,
            10,
        ],
        [None, None, "社会效益指标", "提高村(社区)干部工作积极性的影响程度", "效果明显", "达成预期指标", 10, 10],
        [None, None, "可持续影响"],
    ]  # fmt: skip
    merges = [
        "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5", "A6:A10", "A11:A12", "B11:D11", "E11:I11",
        "B12:D12", "E12:I12", "A13:A22", "B14:B19", "C14:C15", "C16:C17", "B20:B22",
    ]  # fmt: skip
    return [Sheet("项目支出绩效自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 3. 安徽 滁州 天长市水利局 水旱灾害防御经费 2022 — national form, 一级 labels without names


def anhui_tianchang_shuili_2022() -> list[Sheet]:
    rows: list[Row] = [
        ["项目支出绩效自评表"],
        ["(2022年度)"],
        ["项目名称", "水旱灾害防御经费"],
        ["主管部门", None, None, None, "实施单位", "天长市水利局"],
        ["项目资金\n(万元)", None, "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
        [None, "年度资金总额:", 880, 880, 880, 10, None, 10],
        [None, "其中:本年财政拨款", 880, 880, 880, "-", "-"],
        [None, "上年结转资金", None, None, None, "-", "-"],
        [None, "其他资金", None, None, None, "-", "-"],
        ["年度总体目标完成情况", "预期目标", None, None, "实际完成情况"],
        [None, "完成年度防汛工作,完成中型灌区节水改造项目和农业综合水价改革项目。", None, None, "完成年度目标。"],
        ["年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
        [None, "(50分)", "数量指标", "指标1:完成中型灌区节水改造项目数量", 1, 1, 10, 10],
        [None, None, None, "指标2:完成农业综合水价改革项目", 1, 1, 10, 10],
        [None, None, None, "……"],
        [None, None, "质量指标", "指标1:工程质量合格", None, None, 10, 10],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, None, "时效指标", "指标1:年度资金支付完成率100%", None, None, 10, 10],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, None, "成本指标", "指标1:资金执行在预算范围内", None, None, 10, 10],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, "(30分)", "经济效益\n指标", "指标1:全市安全度汛", None, None, 10, 10],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, None, "社会效益\n指标", "指标1:保护全市人口财产不受损失", None, None, 10, 10],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, None, "生态效益\n指标", "指标1:/", "/", "/"],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, None, "可持续影\n响指标", "指标1:已建工程良性运行", None, None, 10, 10],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, "满意度指标\n(10分)", "服务对象\n满意度指标", "指标1:服务对象满意度", "90%", "100%", 10, 10],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        ["总分", None, None, None, None, None, 100, 100],
        ["注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、服务对象满意度指标10分、预算资金执行率10分。如有"],
    ]  # fmt: skip
    merges = [
        "A1:I1", "A2:I2", "B3:I3", "B4:D4", "F4:I4", "A5:A9", "A10:A11", "B10:D10", "E10:I10",
        "B11:D11", "E11:I11", "A12:A39", "B13:B24", "C13:C15", "C16:C18", "C19:C21", "C22:C24",
        "B25:B36", "C25:C27", "C28:C30", "C31:C33", "C34:C36", "B37:B39", "C37:C39", "A40:F40",
        "A41:I41",
    ]  # fmt: skip
    return [Sheet("项目支出绩效自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 4. 四川 眉山 青神县发展和改革局 工资性支出 2023 — 四川 form, published with no scores filled in


def sichuan_qingshen_fgj_2023() -> list[Sheet]:
    rows: list[Row] = [
        ["报表编号:510000_0013zp"],
        ["部门预算项目支出绩效自评表(2023年度)"],
        ["项目名称", "51000021R000000019951-工资性支出"],
        ["主管部门", "青神县发展和改革局本级", None, None, None, "实施单位 (盖章)", "青神县发展和改革局"],
        ["项目基本情况", "1.项目年度目标完成情况", "项目年度目标", None, None, "年度目标完成情况"],
        [None, None, "严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。",
         None, None, "对照年度目标,说明相关任务目标的完成情况(100字以内)"],
        [None, "2.项目实施内容及过程概述"],
        ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分",
         "原因"],
        [None, "总额", 238.93, 251.89, 251.89, "100.00%", 10, None,
         "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),"
         "应单独说明理由;3.其他资金包括:社会投入资金、银行贷款."],
        [None, "其中:财政资金", 238.93, 251.89, 251.89, "100.00%", "/", "/"],
        [None, "财政专户管理资金", 0, 0, 0, "0.00%", "/", "/"],
        [None, "单位资金", 0, 0, 0, "0.00%", "/", "/"],
        [None, "其他资金", None, None, None, None, "/", "/"],
        ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
         "未完成原因分析"],
        [None, "产出指标", "数量指标", "发放(缴纳)覆盖率", "=", 100, "%", None, 60],
        [None, "效益指标", "社会效益指标", "足额保障率(参保率)", "=", 100, "%", None, 30],
        ["合计", None, None, None, None, None, None, None, 100],
        ["评价结论", "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)"],
        ["存在问题", "结合自评情况,分析存在的问题及原因。(200字以内)"],
        ["改进措施", "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内)"],
        ["项目负责人:", None, None, None, None, None, "财务负责人:"],
    ]  # fmt: skip
    merges = [
        "A2:K2", "B3:K3", "B4:E4", "G4:K4", "A5:A7", "B5:B6", "C5:E5", "F5:K5", "C6:E6", "F6:K6",
        "B7:K7", "A8:A13", "I9:I13", "A14:A16", "A17:H17", "B18:K18", "B19:K19", "B20:K20",
    ]  # fmt: skip
    return [Sheet("自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 5. 四川 达州 部门整体支出绩效评价指标体系 — weights only inside labels, 得分 column left empty


def sichuan_dazhou_bumen_tixi() -> list[Sheet]:
    rows: list[Row] = [
        ["一级指标", "二级指标", "三级指标", "得分"],
        ["部门决策(25分)", "目标任务(15分)", "相关性(5分)"],
        [None, None, "明确性(5分)"],
        [None, None, "合理性(5分)"],
        [None, "预算编制(10分)", "测算依据(5分)"],
        [None, None, "目标管理(5分)"],
        ["综合管理(30分)", "专项资金分配时限(2分)", "市级财力专项预算分配时限(1分)"],
        [None, None, "中央专款分配合规率(1分)"],
        [None, "中期评估(2分)", "执行中期评估(2分)"],
        [None, "绩效监控(5分)", "预算执行进度监控(2分)"],
        [None, None, "绩效目标动态监控(3分)"],
        [None, "非税收入执收情况(2分)", "非税收入征收情况(1分)"],
        [None, None, "非税收入上缴情况(1分)"],
        [None, "资产管理(6分)", "资产管理信息化情况(2分)"],
        [None, None, "行政事业单位资产报告情况(2分)"],
        [None, None, "资产管理与预算管理相结合(2分)"],
        [None, "内控制度管理(2分)", "内部控制度健全完整(2分)"],
        [None, "信息公开(6分)", "预算公开(2分)"],
        [None, None, "决算公开(2分)"],
        [None, None, "绩效信息公开(2分)"],
        [None, "绩效评价(5分)", "绩效评价开展(2分)"],
        [None, None, "评价结果应用(3分)"],
        ["部门绩效情况(45分)", "履职成效(20分)", "部门特性指标"],
        [None, None, None],
        [None, None, None],
        [None, None, None],
        [None, "可持续发展能力(15分)", "重点改革(重点工作)完成情况(5分)"],
        [None, None, "科技(制度、方法、机制等)创新(5分)"],
        [None, None, "人才培养(5分)"],
        [None, "满意度(10分)", "协作部门满意度(3分)"],
        [None, None, "管理对象满意度(3分)"],
        [None, None, "社会公众满意度(4分)"],
    ]
    merges = [
        "A2:A6", "B2:B4", "B5:B6", "A7:A22", "B7:B8", "B10:B11", "B12:B13", "B14:B16", "B18:B20",
        "B21:B22", "A23:A32", "B23:B26", "C23:C26", "B27:B29", "B30:B32",
    ]  # fmt: skip
    return [Sheet("指标体系", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 6. 四川 德阳 中江县水利局 水标尺项目 2022 — 总分 printed 100, the parts add up to 110


def sichuan_zhongjiang_shuili_2022() -> list[Sheet]:
    rows: list[Row] = [
        ["绩效目标自评表"],
        ["(2022年度)"],
        ["项目名称", "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装项目"],
        ["项目负责人及电话", None],
        ["主管部门", "中江县水利局", None, None, "实施单位", "中江县水利局"],
        ["资金情况(万元)", None, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
        [None, "年度资金总额:", 20, 20, 10, "100.00%", 10],
        [None, "其中:本年财政拨款", 20, 20],
        [None, "其他资金"],
        ["年度总体目标", "年初设定目标", None, None, "年度总体目标完成情况综述"],
        [None, "对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,", None, None,
         "对项目区农业用水计量,为项目区农业生产夯实基础,"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
         "未完成原因及拟采取的改进措施"],
        [None, "产出指标(70分)", "数量指标", "安装坡面水标尺", 10, "≥266米", "≥266米", 10],
        [None, None, None, "水标尺宽度", 10, "≥50厘米", "≥50厘米", 10],
        [None, None, "质量指标", "项目(工程)验收合格率", 20, "100%", "100%", 20],
        [None, None, "时效指标", "及时(按期)开工率", 10, "≥90%", "≥90%", 10],
        [None, None, None, "及时(按期)完工率", 10, "≥90%", "≥90%", 10],
        [None, None, "成本指标", "项目计划总投资", 10, "20万元", "20万元", 10],
        [None, "效益指标(20分)", "经济效益指标"],
        [None, None, "社会效益指标", "受益脱贫(含监测对象)户人口数", 10, "≥1000人", "≥1000人", 10],
        [None, None, None, "群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10],
        [None, "满意度指标(10分)", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", 10, "≥95%", "≥95%", 10],
        [None, None, None, "……"],
        ["总分", None, None, None, 100, None, None, 100],
        ["注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分,"
         "各部门根据各项指标重要程度确定三级指标的分值,得分最高不能超过该指标分值上限,分别按照该指标对应分值区间"
         "100-80%(含80%)、80-60%(含60%)、60-0%合理确定得分,3.定量指标若为正向"],
    ]  # fmt: skip
    merges = [
        "A1:I1", "A2:I2", "B3:I3", "B4:I4", "B5:D5", "F5:I5", "A6:A9", "A10:A11", "B10:D10",
        "E10:I10", "B11:D11", "E11:I11", "A12:A23", "B13:B18", "C13:C14", "C16:C17", "B19:B21",
        "C20:C21", "B22:B23", "C22:C23", "A24:D24", "A25:I25",
    ]  # fmt: skip
    return [Sheet("绩效目标自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 7. 河北 廊坊 廊坊市食品工程学校 暖通改造经费 2019 — national form with the empty 指标2/…… rows


def hebei_langfang_shipin_2019() -> list[Sheet]:
    rows: list[Row] = [
        ["附件1"],
        ["项目支出绩效自评表"],
        ["(2019年度)"],
        ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"],
        ["主管部门", "廊坊市发改委", None, None, "实施单位", "廊坊市食品工程学校"],
        ["项目资金\n(万元)", None, "年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 43.2, 43.2, 37.24, 10, "86%", 9],
        [None, "其中:当年财政拨款", 43.2, 43.2, 37.24],
        [None, "上年结转资金"],
        [None, "其他资金"],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [None, 43.2, None, None, 37.24],
        [None, "一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标", "数量指标", "指标1工程资金金额", 43.2, 37.24, 10, 9,
         "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。"],
        [None, None, None, "指标2"],
        [None, None, None, "……"],
        [None, None, "质量指标", "指标1工程完工率", 100, 100, 10, 10],
        [None, None, None, "指标2工程验收合格率", 100, 100, 10, 10],
        [None, None, None, "……"],
        [None, None, "时效指标", "指标1项目完成及时率", 100, 100, 10, 10],
        [None, None, None, "指标2"],
        [None, None, None, "……"],
        [None, None, "成本指标", "指标1成本控制率", 100, 100, 10, 10],
        [None, None, None, "指标2"],
        [None, None, None, "……"],
        [None, "效益指标", "经济效益\n指标", "指标1安全率", 100, 100, 10, 10, "0"],
        [None, None, None, "指标2"],
        [None, None, None, "……"],
        [None, None, "社会效益\n指标", "指标1学校发展能力", 100, 100, 10, 10, "0"],
        [None, None, None, "指标2"],
        [None, None, None, "……"],
        [None, None, "生态效益\n指标", "指标1"],
        [None, None, None, "指标2"],
        [None, None, None, "……"],
        [None, "效益指标", "可持续影响\n指标", "指标1长期使用性", 100, 100, 10, 10],
        [None, None, None, "指标2"],
        [None, None, None, "……"],
        [None, "满意度\n指标", "服务对象满意度指标", "指标1学生满意度", 100, 100, 10, 10, "0"],
        [None, None, None, "指标2"],
    ]  # fmt: skip
    merges = [
        "A2:I2", "A3:I3", "B4:I4", "B5:D5", "F5:I5", "A6:A10", "A11:A12", "B11:D11", "E11:I11",
        "B12:D12", "E12:I12", "A13:A39", "B14:B25", "C14:C16", "C17:C19", "C20:C22", "C23:C25",
        "B26:B34", "C26:C28", "C29:C31", "C32:C34", "B35:B37", "C35:C37", "B38:B39", "C38:C39",
    ]  # fmt: skip
    return [Sheet("项目支出绩效自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 8. 宁夏 银川 银川市第六中学 初中公用经费 2021 — 决策/管理/产出/效益 form; 自评得分 98 out of reach


def ningxia_yinchuan_liuzhong_2021() -> list[Sheet]:
    rows: list[Row] = [
        ["银川市本级部门项目支出绩效自评表(2021年)"],
        ["项目名称", "初中公用经费", None, "主管部门", "银川市教育局", None, "实施单位", "银川市第六中学"],
        ["自评得分", 98, None, "财政审核评分", None],
        ["项目资金(万元)", None, "年初预算数", "调整预算数(A)", "全年执行数(B)", "执行率(B/A)"],
        [None, "年度资金总额", 64.8, 64.8, 64.8, "100%"],
        ["年度总体目标", "年初设定目标", "保障学校正常工作运行", None, None, "年度总体目标完成情况"],
        ["一级指标", "二级指标", "三级指标", "参考分值", "指标值(A)", "全年实际值(B)", "得分", "未完成原因分析及改进措施"],
        ["项目决策(10分)", "项目目标", "完整性", 4, "—", "目标明确、内容细化、目标量化", 4],
        [None, "项目立项", "相关性", 2, "—", "按照学校管理标准对学校进行管理", 2],
        [None, None, "可行性", 2, None, "实际工作需求", 2],
        [None, None, "适当性", 2, None, "有资金测算标准", 2],
        ["项目管理(25分)", "投入管理", "预算执行率", 10, "—", "100%", 9],
        [None, "财务管理", "财务管理制度有效性", 7, "—", "财务制度健全,严格执行制度,会计核算规范", 7],
        [None, "项目实施", "绩效监控有效性", 2, "—", "持续有效", 2],
        [None, None, "管理制度有效性", 6, "-", "严格执行相关管理制度", 6],
        ["项目产出(30分)", "数量指标(10分)", "保障人数", 10, "2370人", "2370人", 10],
        [None, None, "指标2:"],
        [None, "质量指标(5分)", "公用经费标准", 5, "符合相关文件要求", "符合相关文件要求", 5],
        [None, None, "指标2:"],
        [None, "时效指标(5分)", "公用经费完成时间", 5, "2021年12月完成", "2021年12月完成", 4],
        [None, None, "指标2:"],
        [None, "成本指标(10分)", "办公所需成本", 4, "15万元", "15万元", 4],
        [None, None, "维修(维护)所需成本", 3, "35万元", "35万元", 3],
        [None, None, "绿化、水电费等成本", 3, "14.8万元", "14.8万元", 3],
        ["项目效益(35分)", "经济效益指标", "指标1:"],
        [None, None, "指标2:"],
        [None, "社会效益指标", "效果显著", 15, "改善学校的办学条件", "改善学校的办学条件", 13],
        [None, "生态效益指标", "指标1:"],
        [None, None, "指标2:"],
        [None, "可持续影响指标", "使学生和老师有个更好的学习和工作环境,做到", 10, "社会认可的办学环境.", "社会认可的办学环境.", 8],
        [None, None, "指标2:"],
        [None, "服务对象满意度指标(10分)", "学生和老"],
    ]  # fmt: skip
    merges = [
        "B2:C2", "E2:F2", "A4:A5", "C6:E6", "A8:A11", "B9:B11", "A12:A15", "B14:B15",
        "A16:A24", "B16:B17", "B18:B19", "B20:B21", "B22:B24", "A25:A32", "B25:B26", "B28:B29",
        "B30:B31",
    ]  # fmt: skip
    return [Sheet("自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 9. 重庆 西部(重庆)科学城 融媒体中心 部门整体绩效自评表 2021 — flat indicator list, 得分系数 × 权重


def chongqing_kexuecheng_rongmeiti_2021() -> list[Sheet]:
    rows: list[Row] = [
        ["部门整体绩效自评表"],
        ["主管部门", None, "财政处室", None, "自评总分(分)", 97.6],
        ["部门联系人", None, "联系电话", None],
        ["部门预算执行情况", "年初预算数", "全年(调整)预算数", "全年执行数", "执行率(%)", "执行率权重", "执行率得分(分)"],
        [None, None, None, None, "76%", 10, 7.6],
        ["当年绩效目标", "年初绩效目标", None, "全年(调整)绩效目标", None, "全年目标实际完成情况"],
        [None, "无", None,
         "通过整合各级各类媒体、户外广告载体、宣传宣讲活动等,为建设成渝地区双城经济圈和西部(重庆)重庆科学城营造良好氛围。"
         "保障融媒体中心正常人事基础/日常运转,有效承担西部(重庆)科学城新闻宣传管理,思想文化领域建设等工作。", None,
         "中心2021年较好地完成了履职任务,有效开展了西部(重庆)科学城新闻宣传管理/思想文化领域建设等工作,"
         "为建设成渝地区双城经济圈和西部(重庆)重庆科学城营造了良好氛围。"],
        ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数(%)", "指标权重(分)",
         "指标得分(分)", "是否核心指标"],
        ["财政供养人员控制率", "%", "定量指标", "100%", None, "92%", "100%", 2, 2, "否"],
        ["“三公”经费变动率", "%", None, None, None, None, "100%", 2, 2, "否"],
        ["基础信息完善", "%", None, "100%", None, "100%", "100%", 1, 1, "否"],
        ["预算完成率", "%", None, "70%", None, "76%", "100%", 2, 2, "是"],
        ["预算调整率", "%", None, "3%", None, "0", "100%", 2, 2, "否"],
        ["结转结余率", "%", None, "2%", None, "0", "100%", 2, 2, "是"],
        ["公用经费控制率", "%", None, "100%", None, "97%", "100%", 2, 2, "是"],
        ["“三公”经费控制率", "%", None, None, None, None, "100%", 2, 2, "否"],
        ["政府采购执行率", "%", None, "100%", None, "72.74%", "100%", 2, 2, "是"],
        ["管理制度健全性", None, "定性指标", "高", None, "高", "100%", 3, 3, "否"],
        ["资金使用合规性", None, None, "好", None, "好", "100%", 5, 5, "否"],
        ["预决算信息公开性", None, None, "高", None, "高", "100%", 1, 1, "否"],
        ["资产管理安全", None, None, "好", None, "好", "100%", 2, 2, "否"],
        ["固定资产利用率", "%", "定量指标", "90%", None, "100%", "100%", 2, 2, "否"],
        ["党性教育培训次数", "次", None, None, None, "12次", "100%", 5, 5, "是"],
        ["组织宣传活动次数", "次", None, None, None, "43次", "100%", 10, 10, "是"],
        ["制作宣传品数量", "份", None, None, None, "20份", "100%", 5, 5, "否"],
        ["播发稿件数量", "篇", None, "2200篇", None, "2859篇", "100%", 10, 10, "是"],
        ["业务保障能力提升", "%", None, "90%", None, "95%", "100%", 10, 10, "否"],
        ["公共服务"],
    ]  # fmt: skip
    merges = ["A4:A5", "A6:A7", "B6:C6", "D6:E6", "F6:J6", "B7:C7", "D7:E7", "F7:J7"]
    return [Sheet("部门整体绩效自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 10. 山东 济南 历城区文化馆 商品和服务支出 2019 — 区级 form with a 得分计算方法 column, 12.5-point rows


def shandong_licheng_wenhuaguan_2019() -> list[Sheet]:
    method = (
        "定量指标计算:完成值达到指标值,记满分;未达到指标值,按B/A或A/B*该指标分值记分。\n"
        "定性指标计算:根据“三档”原则分别按照指标分值的100-80%(含80%)、80-50%(含50%)、50-0%来记分。"
    )
    rows: list[Row] = [
        ["区级部门预算项目支出绩效自评表"],
        ["( 2019 年度)"],
        ["主管部门(盖章):", None, None, None, None, None, None, None, "单位:万元"],
        ["项目名称", "商品和服务支出", None, None, "主管部门", "济南市历城区文化和旅游局"],
        ["项目实施单位", "济南市历城区文化馆", None, None, "项目负责人", None, "联系电话", None],
        ["年度总体目标", "年初设定目标", None, None, "年度总体目标完成情况综述"],
        [None, "历城区文化馆免费开放", None, None,
         "用于历城区文化馆全年免费开放,主要支付招聘合同人员工资,确保我馆全年正常免费开放和群众文化工作开展。"],
        ["项目预算\n执行情况\n(10分)", None, None, "年初预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分",
         "得分计算方法"],
        [None, "年度资金总额", None, 45, 45, 10, "100%", 10, "执行率*该指标分值,最高不得超过分值上限。"],
        [None, "其中:财政拨款", None, 45, 45, "-", "-", "-"],
        [None, "其他资金", None, None, None, "-", "-", "-"],
        ["一级\n指标", "二级\n指标", "三级指标", "预期指标值(A)", "实际完成指标值(B)", "分值", "得分", "未完成原因",
         "得分计算方法"],
        ["(50分)", "数量指标", "全年免费开放", "100%", "100%", 12.5, 12.5, None, method],
        [None, None, "-"],
        [None, "质量指标", "免费开放管理制度健全、执行有效性", "100%", "100%", 12.5, 12.5],
        [None, None, "-"],
        [None, "时效指标", "免费开放率", "100%", "100%", 12.5, 12.5],
        [None, None, "-"],
        [None, "成本指标", "实际成本与工作内容的匹配程度", "45万", "45万", 12.5, 12.5],
        [None, None, "-"],
        [None, "-", "-"],
        ["(30分)", "经济效益\n指标", "承担重要公益服务项目、助推民生事业发展", "100%", "100%", 10, 10],
        [None, None, "-"],
        [None, "社会效益\n指标", "促进基本公共文化服务标准化均等化,保障群众基本文化权益。满足广大人民群众接受素质教育、"],
    ]  # fmt: skip
    merges = [
        "A1:I1", "A2:I2", "B4:D4", "F4:I4", "B5:D5", "A6:A7", "B6:D6", "E6:I6", "B7:D7", "E7:I7",
        "A8:A11", "B8:C8", "B9:C9", "B10:C10", "B11:C11", "A13:A21", "B13:B14", "B15:B16",
        "B17:B18", "B19:B20", "I13:I24", "A22:A24", "B22:B23",
    ]  # fmt: skip
    return [Sheet("自评表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 11. 云南 临沧 永德县明朗中学 义务教育营养改善计划 2022 — national form with 指标性质/指标值/度量单位


def yunnan_yongde_minglang_2022() -> list[Sheet]:
    rows: list[Row] = [
        ["公开14表"],
        ["2022年度项目支出绩效自评表"],
        ["部门:临沧市永德县明朗中学"],
        ["项目名称", "义务教育营养改善计划专项资金"],
        ["主管部门", "永德县教育体育局", None, None, "实施单位", "永德县明朗中学"],
        ["项目资金\n(元)", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", None, 387664.62, 387664.62, 10, "100%", 10],
        [None, "其中:当年财政\n拨款", None, 387664.62, 387664.62, "—"],
        [None, "上年结转\n资金", None, None, None, "—"],
        [None, "其他资金", None, "—", "—", "—", "—"],
        ["年度\n总体\n目标", "预期目标", None, None, "实际完成情况"],
        [None, "确保每一个学生都能享受到国家政策福利,改善学生体质", None, None,
         "确保每一个学生都能享受到国家政策福利,改善学生体质"],
        ["绩效指标", None, None, "年度指标值", None, None, "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
        ["产出指标", "数量指标", "学生受资助人数", "≧", 735, "人次", 735, 10, 10],
        [None, "质量指标", "营养改善计划覆盖率", "≧", 100, "%", "100%", 10, 10],
        [None, "时效指标", "资金到位及时率", "≧", 100, "%", "100%", 10, 7],
        [None, "成本指标", "生均补助标准达标率", "═", 100, "%", "100%", 10, 10],
        ["效益指标", "经济效益\n指标", "减轻贫困学生家庭经济负担", None, "有效", None, "有效", 10, 10],
        [None, "社会效益\n指标", "政策知晓率", "═", 100, "%", "98%", 10, 9],
        [None, "生态效益\n指标"],
        [None, "可持续影响\n指标", "促进学校教育事业健康发展", "≧", 100, "%", "100%", 10, 10],
        ["满意度指标", "服务对象满意度指标等", "学生满意度", "≧", 95, "%", "100%", 10, 10],
        [None, None, "家长满意度", "≧", 95, "%", "100%", 10, 10],
        ["其他需要说明事项", "无", None, None, None, None, "总分", 100, 96, "优"],
    ]  # fmt: skip
    merges = [
        "A2:J2", "A3:J3", "B4:J4", "B5:D5", "F5:J5", "A6:A10", "A11:A12", "B11:D11", "E11:J11",
        "B12:D12", "E12:J12", "A13:C13", "D13:F13", "G13:G14", "H13:H14", "I13:I14", "J13:J14",
        "A15:A18", "A19:A22", "A23:A24", "B23:B24", "B25:F25",
    ]  # fmt: skip
    return [Sheet("公开14表", rows, merges)]


# ---------------------------------------------------------------------------------------------
# 12. 湖北 湖北工程学院 学生资助项目绩效目标自评表 — the copy kept the layout but lost every digit


def hubei_hbeu_xuesheng_zizhu() -> list[Sheet]:
    rows: list[Row] = [
        ["年学生资助项目绩效目标自评表"],
        ["填报日期:", None, None, None, "总分:", "分"],
        ["项目名称", "湖北工程学院年学生资助项目"],
        ["主管部门", "湖北省教育厅", None, "项目实施单位", "湖北工程学院"],
        ["项目类别", "、部门预算项目☑、省直专项□、省对下转移支付项目□"],
        ["项目属性", "、持续性项目□、新增性项目☑"],
        ["项目类型", "、常年性项目☑、延续性项目□、一次性项目□"],
        ["预算执行情况(万元)(分)", "预算数()", None, "执行数()", "执行率()", "得分(分*执行率)"],
        ["年度财政资金总额", None, None, None, None, "分"],
        ["一级指标", "二级指标", "三级指标", "年初目标值()", "实际完成值()", "得分"],
        ["产出指标", "数量", "国家奖学金人数", None, None, "分(因全校总人数减少,总指标数减少,但奖励、资助比例没减少)"],
        [None, None, "国家励志奖学金人数"],
        [None, None, "国家助学金人数"],
        [None, None, "应征入伍人数"],
        [None, "成本指标", "国家奖学金人均资助"],
        [None, None, "国家励志奖学金人均资助"],
        [None, None, "国家助学金人均资助"],
        ["效益指标(分)", "社会效益指标", "资金发放率", None, None, "分"],
        [None, None, "困难生完成学业率"],
        [None, "服务对象满意度指标"],
        ["过程指标", None, "评审程序是否公正", "是", "是"],
    ]  # fmt: skip
    merges = ["A1:F1", "B3:F3", "B4:C4", "E4:F4", "B5:F5", "B6:F6", "B7:F7", "B8:C8", "B9:C9",
              "A11:A17", "B11:B14", "F11:F14", "B15:B17", "A18:A20", "B18:B19", "F18:F20"]  # fmt: skip
    return [Sheet("绩效目标自评表", rows, merges)]


FIXTURES: dict[str, Callable[[], list[Sheet]]] = {
    "anhui-tangxi-weituo-2022.xlsx": anhui_tangxi_weituo_2022,
    "anhui-tangxi-cunji-2022.xlsx": anhui_tangxi_cunji_2022,
    "anhui-tianchang-shuili-2022.xlsx": anhui_tianchang_shuili_2022,
    "sichuan-qingshen-fgj-2023.xlsx": sichuan_qingshen_fgj_2023,
    "sichuan-dazhou-bumen-tixi.xlsx": sichuan_dazhou_bumen_tixi,
    "sichuan-zhongjiang-shuili-2022.xlsx": sichuan_zhongjiang_shuili_2022,
    "hebei-langfang-shipin-2019.xlsx": hebei_langfang_shipin_2019,
    "ningxia-yinchuan-liuzhong-2021.xlsx": ningxia_yinchuan_liuzhong_2021,
    "chongqing-kexuecheng-rongmeiti-2021.xlsx": chongqing_kexuecheng_rongmeiti_2021,
    "shandong-licheng-wenhuaguan-2019.xlsx": shandong_licheng_wenhuaguan_2019,
    "yunnan-yongde-minglang-2022.xlsx": yunnan_yongde_minglang_2022,
    "hubei-hbeu-xuesheng-zizhu.xlsx": hubei_hbeu_xuesheng_zizhu,
}


def _workbook(sheets: list[Sheet]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a sign such as "=" is text, never a formula
        for rng in spec.merges:
            _check_merge(ws, rng, spec.title)
            ws.merge_cells(rng)
    return wb


def _check_merge(ws: Any, rng: str, title: str) -> None:
    """Refuse a merge that would drop a value (openpyxl keeps only the top-left cell)."""
    min_col, min_row, max_col, max_row = range_boundaries(rng)
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            if (r, c) != (min_row, min_col) and ws.cell(row=r, column=c).value is not None:
                raise ValueError(f"{title}: merge {rng} would drop {ws.cell(row=r, column=c).coordinate}")


def _deterministic(data: bytes) -> bytes:
    """The same workbook with fixed document times and zip entry times."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rf"\g<1>{FIXED_DOC_TIME}\g<2>",
                    text,
                )
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def build(target: Path = HERE) -> list[Path]:
    written = []
    for name, make in FIXTURES.items():
        buffer = io.BytesIO()
        _workbook(make()).save(buffer)
        path = target / name
        path.write_bytes(_deterministic(buffer.getvalue()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"{path.name}: {path.stat().st_size} bytes")
