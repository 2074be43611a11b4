# snipcheck: question 169: What is deepcopy vs shallow copy?
# guide: guides/python-advanced.txt, line 96

# example at line 100
import copy
original = [[1, 2], [3, 4]]
shallow = copy.copy(original)
deep = copy.deepcopy(original)

original[0][0] = 99
print(shallow[0][0]) # 99 (Affected)
print(deep[0][0])    # 1 (Unaffected)
